import { api, clearErrors, el, showError } from '/app.js';
import { call, drawNav, fmtDate, setSession, trySession, TYPE_WORDS } from '/admin/admin.js';

const OPEN = ['received', 'awaiting_verification', 'verified', 'in_progress'];
const filters = document.getElementById('filters');

async function showQueue() {
  document.getElementById('signin').hidden = true;
  document.getElementById('queue').hidden = false;
  drawNav();
  const center = await api('GET', '/v1/center');
  if (center.status === 200) {
    const types = new Set();
    for (const j of center.data.jurisdictions) {
      document.getElementById('f-jurisdiction').append(el('option', { value: j.code }, j.name));
      j.types.forEach((t) => types.add(t.type));
    }
    for (const t of types) document.getElementById('f-type').append(el('option', { value: t }, TYPE_WORDS[t] || t));
  }
  await load();
}

async function load() {
  const q = new URLSearchParams();
  const status = document.getElementById('f-status').value;
  if (status && status !== 'all') q.set('status', status);
  for (const key of ['type', 'jurisdiction']) {
    const v = document.getElementById('f-' + key).value;
    if (v) q.set(key, v);
  }
  const r = await call('GET', '/v1/admin/requests?' + q);
  const body = document.querySelector('#requests tbody');
  if (r.status !== 200) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 7 }, (r.data && r.data.error && r.data.error.message) || 'Could not load.')));
    return;
  }
  let rows = r.data.requests || [];
  if (!status) rows = rows.filter((x) => OPEN.includes(x.status));
  rows.sort((a, b) => (a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0));
  let overdue = 0, risk = 0;
  body.replaceChildren(...rows.map((x) => {
    const open = OPEN.includes(x.status);
    const cls = open && x.days_left < 0 ? 'overdue' : open && x.days_left <= 5 ? 'at-risk' : '';
    if (cls === 'overdue') overdue++;
    if (cls === 'at-risk') risk++;
    const left = open ? String(x.days_left) : '—';
    return el('tr', { class: cls },
      el('td', {}, el('a', { href: '/admin/request#id=' + encodeURIComponent(x.id) }, x.id)),
      el('td', {}, TYPE_WORDS[x.type] || x.type), el('td', {}, x.jurisdiction), el('td', {}, x.status),
      el('td', {}, fmtDate(x.received_at)), el('td', {}, x.due_at),
      el('td', {}, left, cls === 'overdue' ? el('span', { class: 'badge bad' }, ' overdue') : cls === 'at-risk' ? el('span', { class: 'badge warn' }, ' at risk') : ''));
  }));
  document.getElementById('summary').textContent =
    `${rows.length} request(s)` + (overdue ? `, ${overdue} overdue` : '') + (risk ? `, ${risk} due within 5 days` : '');
}

filters.addEventListener('change', load);

const form = document.getElementById('signin-form');
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(form);
  const r = await api('POST', '/v1/admin/session', { token: document.getElementById('token').value.trim() });
  document.getElementById('token').value = '';
  if (r.status !== 200) return showError(form, r.data && r.data.error);
  setSession(r.data);
  const next = new URLSearchParams(location.hash.slice(1)).get('next');
  if (next && next.startsWith('/admin/')) return location.assign(next);
  history.replaceState(null, '', '/admin');
  showQueue();
});

trySession().then((role) => {
  if (role) return showQueue();
  document.getElementById('signin').hidden = false;
  document.getElementById('token').focus();
});
