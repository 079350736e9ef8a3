import { api, center, clearErrors, el, showError } from '/app.js';

// What each request type means, in the consumer's words.
const WORDS = {
  access: 'Get a copy of my personal information',
  know_categories: 'Tell me what kinds of personal information you hold about me',
  portability: 'Give me my data in a portable format',
  delete: 'Delete my personal information',
  correct: 'Correct my personal information',
  opt_out_sale_share: 'Do not sell or share my personal information',
  limit_sensitive: 'Limit the use of my sensitive personal information',
  restrict: 'Restrict how you use my personal data',
  object: 'Object to how you use my personal data',
  withdraw_consent: 'Withdraw a consent I gave',
  shine_the_light: 'Tell me who received my information for their direct marketing',
};

const form = document.getElementById('request-form');
const residency = document.getElementById('residency');
const typesBox = document.getElementById('types');
let jurisdictions = [];

function selectedType() {
  const checked = form.querySelector('input[name="type"]:checked');
  return checked ? checked.value : '';
}

function typeRule() {
  const j = jurisdictions.find((x) => x.code === residency.value);
  return j ? j.types.find((t) => t.type === selectedType()) : null;
}

function refresh() {
  const type = selectedType();
  document.getElementById('details-field').hidden = type !== 'correct';
  document.getElementById('lookback-field').hidden = !(type === 'access' && residency.value === 'US-CA');
  const rule = typeRule();
  document.getElementById('declaration-field').hidden = !(rule && rule.signed_declaration);
  document.getElementById('level-hint').textContent = rule && rule.data_points > 0
    ? `For this request we need an email or phone number and at least ${rule.data_points} of your details to match our records.`
    : '';
}

function drawTypes() {
  const previous = selectedType();
  typesBox.querySelectorAll('.choice').forEach((c) => c.remove());
  const j = jurisdictions.find((x) => x.code === residency.value);
  document.getElementById('types-empty').hidden = !!j;
  if (!j) return refresh();
  for (const t of j.types) {
    if (t.type === 'appeal') continue;
    const id = 'type-' + t.type;
    typesBox.append(el('div', { class: 'choice' },
      el('input', { type: 'radio', name: 'type', id, value: t.type, checked: t.type === previous, onchange: refresh }),
      el('label', { for: id }, WORDS[t.type] || t.label)));
  }
  refresh();
}

document.getElementById('is-agent').addEventListener('change', (e) => {
  document.getElementById('agent-fields').hidden = !e.target.checked;
});
residency.addEventListener('change', drawTypes);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const identity = {};
  for (const key of ['name', 'email', 'phone', 'postal_code', 'account_id']) {
    const v = document.getElementById(key).value.trim();
    if (v) identity[key] = v;
  }
  const body = { type: selectedType(), jurisdiction: residency.value, channel: 'web', identity };
  if (body.type === 'correct') body.details = document.getElementById('details').value;
  if (!document.getElementById('lookback-field').hidden && document.getElementById('lookback').checked) body.lookback_all = true;
  if (!document.getElementById('declaration-field').hidden) body.signed_declaration = document.getElementById('declaration').checked;
  if (document.getElementById('is-agent').checked) {
    body.agent = {
      name: document.getElementById('agent-name').value.trim(),
      email: document.getElementById('agent-email').value.trim(),
      phone: document.getElementById('agent-phone').value.trim(),
      authority: document.getElementById('agent-authority').value,
      document_ref: document.getElementById('agent-document').value.trim(),
    };
  }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const r = await api('POST', '/v1/requests', body);
  button.disabled = false;
  if (r.status === 201) {
    // The status token stays in the fragment: never sent to a server, never in a log.
    location.assign(`/status#id=${encodeURIComponent(r.data.id)}&token=${encodeURIComponent(r.data.status_token)}&new=1`);
    return;
  }
  showError(form, r.data && r.data.error);
});

center().then((c) => {
  if (!c) return;
  jurisdictions = c.jurisdictions;
  for (const j of jurisdictions) residency.append(el('option', { value: j.code }, j.name));
});
