import { el } from '/app.js';
import { call, fmtDate, requireSession } from '/admin/admin.js';

async function show(v) {
  const r = await call('GET', '/v1/admin/notices/' + v.id);
  if (r.status !== 200) return;
  document.getElementById('view').hidden = false;
  document.getElementById('view-title').textContent = `Version ${v.id}: ${v.kind} (${v.format}), effective ${v.effective_date}`;
  document.getElementById('content').textContent = r.data.content;
}

async function diff(v, against) {
  const r = await call('GET', `/v1/admin/notices/${v.id}/diff?against=${against.id}`);
  if (r.status !== 200) return;
  document.getElementById('view').hidden = false;
  document.getElementById('view-title').textContent = `Changes from version ${against.id} to ${v.id}`;
  const text = r.data.diff ?? '';
  document.getElementById('content').replaceChildren(...text.split('\n').map((line) =>
    el('span', { class: line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : '' }, line + '\n')));
}

async function load() {
  const r = await call('GET', '/v1/admin/notices');
  if (r.status !== 200) return;
  document.getElementById('warnings').replaceChildren(...(r.data.warnings || []).map((w) => el('div', { class: 'notice warn' }, w)));
  const versions = r.data.versions;
  document.querySelector('#versions tbody').replaceChildren(...versions.map((v) => {
    const previous = versions.filter((o) => o.kind === v.kind && o.format === v.format && o.id < v.id).sort((a, b) => b.id - a.id)[0];
    return el('tr', {},
      el('td', {}, el('a', { href: '#', onclick: (e) => { e.preventDefault(); show(v); } }, String(v.id))),
      el('td', {}, v.kind), el('td', {}, v.format), el('td', {}, v.effective_date), el('td', {}, fmtDate(v.published_at)), el('td', {}, v.published_by),
      el('td', {}, previous ? el('a', { href: '#', onclick: (e) => { e.preventDefault(); diff(v, previous); } }, `changes since ${previous.id}`) : '—'));
  }));
}

requireSession().then(load);
