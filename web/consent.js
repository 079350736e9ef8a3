import { api, center, clearErrors, deviceId, el, showError } from '/app.js';

const form = document.getElementById('consent-form');
const box = document.getElementById('purposes');
let initial = {};

async function load() {
  const c = await center();
  if (!c) return;
  const state = await api('GET', `/v1/consent?device_id=${encodeURIComponent(deviceId())}`);
  for (const choice of (state.data && state.data.choices) || []) initial[choice.purpose] = choice.allowed;
  if (!c.consent_purposes.length) box.append(el('p', {}, 'We use no personal information on the basis of consent.'));
  for (const p of c.consent_purposes) {
    const id = 'purpose-' + p.id;
    box.append(el('div', { class: 'choice' },
      el('input', { type: 'checkbox', id, name: p.id, checked: !!initial[p.id], 'aria-describedby': id + '-d' }),
      el('label', { for: id }, p.name, el('span', { class: 'hint', id: id + '-d' }, ' — ' + p.description))));
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(form);
  document.getElementById('saved').hidden = true;
  for (const input of box.querySelectorAll('input[type=checkbox]')) {
    if (!!initial[input.name] === input.checked) continue;
    const r = await api('POST', '/v1/consent', { device_id: deviceId(), purpose: input.name, choice: input.checked ? 'opt_in' : 'withdrawn' });
    if (r.status !== 200) return showError(form, r.data && r.data.error);
    initial[input.name] = input.checked;
  }
  document.getElementById('saved').hidden = false;
});

load();
