import { clearErrors, el, params, showError } from '/app.js';
import { call, canWrite, fmtDate, requireSession, TYPE_WORDS } from '/admin/admin.js';

let id = params().get('id') || '';
const OPEN = ['received', 'awaiting_verification', 'verified', 'in_progress'];

function row(label, ...value) {
  return el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, ...value));
}

function drawPlan(plan) {
  const box = document.getElementById('plan');
  const parts = [];
  for (const d of plan.datasets || []) {
    if (!Array.isArray(d.collections)) {  // access: rows found per collection
      parts.push(el('h3', {}, `Dataset ${d.dataset}: ${d.rows ?? ''} row(s) would be disclosed`),
        el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'collection'), el('th', { scope: 'col' }, 'rows'))),
          el('tbody', {}, ...Object.entries(d.collections || {}).map(([name, rows]) => el('tr', {}, el('td', {}, name), el('td', {}, String(rows)))))));
      continue;
    }
    const cols = ['collection', 'found', 'deleted', 'masked', 'held', 'unchanged', 'rows'];
    const shown = cols.filter((k) => (d.collections || []).some((c) => c[k] !== undefined));
    parts.push(el('h3', {}, `Dataset ${d.dataset}` + (d.rows_changed !== undefined ? `: ${d.rows_changed} row(s) would change` : '')));
    parts.push(el('table', {},
      el('thead', {}, el('tr', {}, ...shown.map((k) => el('th', { scope: 'col' }, k)), el('th', { scope: 'col' }, 'how'))),
      el('tbody', {}, ...(d.collections || []).map((c) => el('tr', {}, ...shown.map((k) => el('td', {}, String(c[k] ?? ''))),
        el('td', {}, (c.strategies || c.categories || []).join(', ')))))));
    if (d.held && d.held.length) {
      parts.push(el('p', {}, 'Kept, with the reason:'),
        el('ul', {}, ...d.held.map((h) => el('li', {}, `${h.collection}: ${h.rows} row(s) — ${h.reason}`))));
    }
    if (d.unreachable && d.unreachable.length) parts.push(el('p', { class: 'hint' }, `Not reachable from the identity: ${d.unreachable.join(', ')}`));
  }
  box.replaceChildren(...(parts.length ? parts : [el('pre', {}, JSON.stringify(plan, null, 2))]));
}

async function load() {
  const r = await call('GET', '/v1/admin/requests/' + encodeURIComponent(id));
  if (r.status !== 200) {
    document.getElementById('message').replaceChildren(el('p', { class: 'error' }, (r.data && r.data.error && r.data.error.message) || 'Not found.'));
    return;
  }
  const v = r.data;
  document.getElementById('title').textContent = `${TYPE_WORDS[v.type] || v.type} request ${v.id}`;
  const identity = Object.entries(v.identity || {}).map(([k, val]) => `${k}: ${val}`).join(', ');
  const open = OPEN.includes(v.status);
  document.getElementById('facts').replaceChildren(
    row('Status', el('strong', { id: 'status' }, v.status)),
    row('Jurisdiction', v.jurisdiction),
    row('Channel', v.channel),
    row('Received', fmtDate(v.received_at)),
    row('Due', v.due_at + (open ? ` (${v.days_left} days left)` : ''), v.extended ? ` — extended: ${v.extension_reason}` : ''),
    row('Identity', identity || '—'),
    row('Verification', `${v.verification.level}: ${v.verification.verified ? 'verified' : 'not verified'}, ${v.verification.data_points} data point(s)` +
      (v.verification.signed_declaration ? ', signed declaration' : '')),
    row('Agent', v.agent ? Object.entries(v.agent).map(([k, val]) => `${k}: ${val}`).join(', ') : '—'),
    row('Details', v.details || '—'),
    row('Outcome', v.outcome ? `${v.outcome.result}${v.outcome.reason ? ' (' + v.outcome.reason + ')' : ''} ${v.outcome.note || v.outcome.explanation || ''}` : '—'));
  document.getElementById('events').replaceChildren(...(v.events || []).map((e) =>
    el('tr', {}, el('td', {}, fmtDate(e.at)), el('td', {}, e.to ? `${e.from || ''} → ${e.to}` : e.kind), el('td', {}, e.actor || ''), el('td', {}, e.reason || ''))));
  document.getElementById('notifications').replaceChildren(...(v.notifications || []).map((m) =>
    el('tr', {}, el('td', {}, m.kind), el('td', {}, m.channel), el('td', {}, m.status), el('td', {}, String(m.attempts)),
      el('td', {}, m.last_error || '', m.status === 'failed' && canWrite()
        ? el('button', { type: 'button', class: 'secondary', onclick: () => resend(m.id) }, 'Send again') : ''))));
  const section = document.getElementById('actions-section');
  section.hidden = !(canWrite() && open);
  document.getElementById('approve-form').hidden = v.status !== 'verified';
  document.getElementById('fulfil-form').hidden = v.status !== 'in_progress';
  document.getElementById('extend-form').hidden = v.extended;
  document.getElementById('plan-section').hidden = true;  // a plan is only for a request still to fulfil
  if (['delete', 'access', 'correct', 'portability', 'know_categories'].includes(v.type) && open) {
    const plan = await call('GET', `/v1/admin/requests/${encodeURIComponent(id)}/plan`);
    document.getElementById('plan-section').hidden = false;
    if (plan.status === 200) drawPlan(plan.data);
    else document.getElementById('plan').replaceChildren(el('p', {}, (plan.data && plan.data.error && plan.data.error.message) || 'No plan.'));
  }
}

async function resend(message) {
  const r = await call('POST', `/v1/admin/requests/${encodeURIComponent(id)}/notifications/${message}/resend`, {});
  const text = r.status === 202 ? 'The notification is queued to be sent again.' : (r.data && r.data.error && r.data.error.message) || 'Could not resend.';
  document.getElementById('message').replaceChildren(el('p', { class: r.status === 202 ? 'notice ok' : 'notice bad' }, text));
  await load();
}

for (const form of document.querySelectorAll('form[data-action]')) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = {};
    for (const input of form.querySelectorAll('input, select, textarea')) if (input.name && input.value.trim()) body[input.name] = input.value.trim();
    const button = form.querySelector('button');
    button.disabled = true;
    const r = await call('POST', `/v1/admin/requests/${encodeURIComponent(id)}/${form.dataset.action}`, body);
    button.disabled = false;
    if (r.status !== 200) return showError(form, r.data && r.data.error);
    const done = r.data.fulfilment ? `Done: ${r.data.fulfilment.summary}` : `Done: the request is now ${r.data.status}.`;
    document.getElementById('message').replaceChildren(el('p', { class: 'notice ok' }, done));
    form.reset();
    await load();
  });
}

window.addEventListener('hashchange', () => {
  id = params().get('id') || '';
  document.getElementById('message').replaceChildren();
  load();
});
requireSession().then(load);
