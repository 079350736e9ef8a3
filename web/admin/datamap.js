import { el } from '/app.js';
import { call, fmtDate, requireSession } from '/admin/admin.js';

const related = (a, b) => a === b || a.startsWith(b + '.') || b.startsWith(a + '.');

// A table's column ("customers.ssn"), a file's lines, or a CSV file's column at its lines.
function where(f) {
  const lines = f.lines && f.lines.length ? ':' + f.lines.join(',') : '';
  if (!f.field) return f.source + lines;
  return lines ? `${f.source}${lines} (${f.field})` : `${f.source}.${f.field}`;
}

async function showScan(id) {
  const r = await call('GET', '/v1/admin/scans/' + encodeURIComponent(id));
  if (r.status !== 200) return null;
  const section = document.getElementById('scan-detail');
  section.hidden = false;
  document.getElementById('scan-title').textContent = `Findings of ${id}`;
  document.getElementById('findings').replaceChildren(...r.data.report.findings.map((f) => el('tr', {},
    el('td', {}, where(f)),
    el('td', {}, f.label), el('td', {}, f.ccpa + (f.sensitive ? ' (sensitive)' : '')), el('td', {}, String(f.count)),
    el('td', {}, String(f.confidence)), el('td', {}, f.example))));
  return r.data;
}

async function load() {
  const map = await call('GET', '/v1/admin/datamap');
  const scans = await call('GET', '/v1/admin/scans?limit=20');
  const runs = (scans.status === 200 && scans.data.scans) || [];
  document.querySelector('#scans tbody').replaceChildren(...runs.map((s) => el('tr', {},
    el('td', {}, el('a', { href: '#', onclick: (e) => { e.preventDefault(); showScan(s.id); } }, s.id)),
    el('td', {}, fmtDate(s.finished_at)), el('td', {}, (s.targets || []).join(', ')), el('td', {}, s.against || '—'),
    el('td', {}, String(s.findings)), el('td', {}, s.undeclared ? el('span', { class: 'badge bad' }, String(s.undeclared)) : '0'))));
  // The newest scan compared with the inventory or a manifest carries the drift.
  const checked = runs.find((s) => s.against);
  let report = null;
  if (checked) report = (await showScan(checked.id))?.report;
  const drift = (report && report.drift) || [];
  const undeclared = drift.filter((d) => d.kind === 'undeclared');
  const box = document.getElementById('drift');
  box.replaceChildren();
  if (undeclared.length) {
    box.append(el('div', { class: 'notice bad', role: 'alert' }, el('strong', {}, `${undeclared.length} undeclared finding(s) in ${checked.id}: `),
      el('ul', {}, ...undeclared.map((d) => el('li', {}, d.message)))));
  } else if (checked) {
    box.append(el('div', { class: 'notice ok' }, `The newest check (${checked.id}, against ${checked.against}) found no undeclared personal data.`));
  } else {
    box.append(el('div', { class: 'notice warn' }, 'No scan has been recorded against the inventory yet: run steward scan DSN --against inventory.yaml --record.'));
  }
  if (map.status !== 200) return;
  const found = (report && report.findings) || [];
  document.querySelector('#map tbody').replaceChildren(...map.data.categories.map((c) => {
    const hits = found.filter((f) => c.fideslang.some((k) => related(k, f.fideslang)));
    const missing = drift.filter((d) => d.kind === 'not_found' && c.fideslang.some((k) => related(k, d.fideslang)));
    const scan = !report ? '—' : hits.length
      ? el('span', { class: 'badge ok' }, `found in ${hits.length} place(s)`)
      : missing.length ? el('span', { class: 'badge warn' }, 'declared, not found') : '—';
    return el('tr', {},
      el('td', {}, el('strong', {}, c.name), c.collected ? '' : ' (not collected)'),
      el('td', {}, c.ccpa + (c.sensitive ? ` — sensitive: ${c.sensitive}` : '')),
      el('td', {}, c.fields.length ? el('ul', {}, ...c.fields.map((f) => el('li', {}, `${f.dataset}: ${f.collection}.${f.field}`))) : '—'),
      el('td', {}, c.purposes.join(', ') || '—'),
      el('td', {}, c.recipients.map((r) => `${r.name} (${r.how})`).join(', ') || '—'),
      el('td', {}, c.retention || '—'),
      el('td', {}, scan));
  }));
}

requireSession().then(load);
