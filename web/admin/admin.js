// The admin console's shared code: the session (cookie + CSRF token), navigation, API calls.
import { api, el } from '/app.js';

let csrf = null;
export let role = null;

// Staff API call; state changes carry the session's CSRF token.
export function call(method, path, body) {
  const headers = method === 'GET' ? {} : { 'X-CSRF-Token': csrf || '' };
  return api(method, path, body, headers);
}

export function canWrite() {
  return role === 'admin' || role === 'operator';
}

// Resolves with the role when signed in; otherwise sends the browser to the sign-in page.
export async function requireSession() {
  const r = await api('GET', '/v1/admin/session');
  if (r.status !== 200) {
    location.assign('/admin#next=' + encodeURIComponent(location.pathname + location.hash));
    return new Promise(() => {});
  }
  csrf = r.data.csrf_token;
  role = r.data.role;
  drawNav();
  return role;
}

export async function trySession() {
  const r = await api('GET', '/v1/admin/session');
  if (r.status !== 200) return null;
  csrf = r.data.csrf_token;
  role = r.data.role;
  return role;
}

export function setSession(data) {
  csrf = data.csrf_token;
  role = data.role;
}

export function drawNav() {
  const nav = document.getElementById('admin-nav');
  if (!nav) return;
  nav.replaceChildren(
    el('a', { href: '/admin' }, 'Queue'),
    el('a', { href: '/admin/metrics' }, 'Metrics'),
    el('a', { href: '/admin/datamap' }, 'Data map'),
    el('a', { href: '/admin/notices' }, 'Notices'),
    el('span', { class: 'badge', id: 'role' }, `Signed in: ${role}`),
    el('button', { type: 'button', class: 'secondary', id: 'sign-out', onclick: signOut }, 'Sign out'));
  nav.hidden = false;
}

async function signOut() {
  await call('DELETE', '/v1/admin/session');
  csrf = null;
  role = null;
  location.assign('/admin');
}

export function fmtDate(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

export const TYPE_WORDS = {
  access: 'Access', know_categories: 'Know categories', portability: 'Portability', delete: 'Delete', correct: 'Correct',
  opt_out_sale_share: 'Opt out of sale/sharing', limit_sensitive: 'Limit sensitive', restrict: 'Restrict', object: 'Object',
  withdraw_consent: 'Withdraw consent', appeal: 'Appeal', shine_the_light: 'Shine the Light',
};
