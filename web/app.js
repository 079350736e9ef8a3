// Shared helpers for the privacy center and the admin console (ES module, no dependencies).

// Calls the API. Returns {status, data}; data is the parsed JSON body (or null).
export async function api(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    return { status: 0, data: { error: { code: 'unavailable', message: 'The server could not be reached. Try again.', field: '' } } };
  }
  let data = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) data = await response.json().catch(() => null);
  return { status: response.status, data };
}

// Shows the server's error next to the field it names (inputs carry data-field="identity.email"
// or name="..."), else in the form's summary; announces it to screen readers.
export function showError(form, error) {
  clearErrors(form);
  const field = (error && error.field) || '';
  const message = (error && error.message) || 'Something went wrong.';
  let input = field ? form.querySelector(`[data-field="${CSS.escape(field)}"]`) || form.querySelector(`[name="${CSS.escape(field)}"]`) : null;
  if (input) {
    const id = (input.id || input.name || 'field') + '-error';
    const p = document.createElement('p');
    p.className = 'error';
    p.id = id;
    p.setAttribute('role', 'alert');
    p.textContent = message;
    const holder = input.closest('.field') || input.closest('fieldset') || input.parentElement;
    holder.appendChild(p);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.focus();
    return;
  }
  const summary = form.querySelector('.form-error') || form.appendChild(Object.assign(document.createElement('p'), { className: 'error form-error' }));
  summary.setAttribute('role', 'alert');
  summary.textContent = field ? `${field}: ${message}` : message;
}

export function clearErrors(form) {
  form.querySelectorAll('.error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    e.removeAttribute('aria-describedby');
  });
}

// This browser's random device id (for opt-outs and consent without an account).
export function deviceId() {
  let id = localStorage.getItem('steward-device');
  if (!id) {
    id = 'web-' + crypto.randomUUID();
    localStorage.setItem('steward-device', id);
  }
  return id;
}

export function gpcEnabled() {
  return navigator.globalPrivacyControl === true;
}

// Creates an element: el('td', {class: 'x'}, 'text', child).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
}

export function params() {
  const out = new URLSearchParams(location.hash.slice(1));
  for (const [k, v] of new URLSearchParams(location.search)) if (!out.has(k)) out.set(k, v);
  return out;
}

export async function center() {
  const r = await api('GET', '/v1/center');
  if (r.status === 200) {
    document.querySelectorAll('[data-org]').forEach((n) => (n.textContent = r.data.organization));
    return r.data;
  }
  return null;
}
