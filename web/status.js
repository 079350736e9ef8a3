import { api, clearErrors, el, params, showError } from '/app.js';

const STATUS = {
  received: 'Received',
  awaiting_verification: 'Waiting for you to confirm it is you',
  verified: 'Confirmed; waiting to be worked on',
  in_progress: 'Being worked on',
  completed: 'Completed',
  denied: 'Denied',
  cancelled: 'Cancelled',
};
const TYPES = {
  access: 'A copy of your personal information', know_categories: 'What kinds of personal information we hold',
  portability: 'A portable copy of your data', delete: 'Deletion of your personal information',
  correct: 'Correction of your personal information', opt_out_sale_share: 'No sale or sharing of your personal information',
  limit_sensitive: 'Limiting the use of your sensitive personal information', restrict: 'Restriction of processing',
  object: 'Objection to processing', withdraw_consent: 'Withdrawal of consent', appeal: 'An appeal',
  shine_the_light: 'Disclosures for direct marketing',
};

const p = params();
let id = p.get('id') || '';
let token = p.get('token') || '';
const view = document.getElementById('view');
const verifyForm = document.getElementById('verify-form');

function show(r) {
  view.hidden = false;
  document.getElementById('v-id').textContent = r.id;
  document.getElementById('v-type').textContent = TYPES[r.type] || r.type;
  document.getElementById('v-status').textContent = STATUS[r.status] || r.status;
  document.getElementById('v-status').dataset.status = r.status;
  document.getElementById('v-received').textContent = new Date(r.received_at).toLocaleString();
  const open = !['completed', 'denied', 'cancelled'].includes(r.status);
  document.getElementById('v-due').textContent = r.due_at + (open && r.days_left !== undefined ? ` (${r.days_left} days left)` : '');
  const ext = document.getElementById('v-extension');
  ext.hidden = !r.extended;
  if (r.extended) ext.textContent = `We extended the time to answer, as the law allows: ${r.extension_reason || ''}`;
  const outcome = document.getElementById('v-outcome');
  outcome.hidden = !r.outcome;
  if (r.outcome) {
    outcome.className = 'notice ' + (r.outcome.result === 'completed' ? 'ok' : 'bad');
    outcome.replaceChildren(
      el('strong', {}, r.outcome.result === 'completed' ? 'Your request is complete. ' : 'We could not do what you asked. '),
      r.outcome.result === 'completed'
        ? (r.outcome.note || '') + (r.type === 'access' || r.type === 'portability'
          ? ' We sent you a link to download your information; it works for a limited time.' : '')
        : `${r.outcome.explanation || ''} (reason: ${r.outcome.reason}${r.outcome.exemption ? ', ' + r.outcome.exemption : ''}). You may appeal this decision.`);
  }
  verifyForm.hidden = r.status !== 'awaiting_verification';
  document.getElementById('agent-confirm').hidden = !r.awaiting_agent_confirmation;
  const events = document.getElementById('v-events');
  events.replaceChildren(...(r.events || []).map((e) =>
    el('li', {}, `${new Date(e.at).toLocaleString()}: ${e.to ? STATUS[e.to] || e.to : e.kind}${e.reason ? ' (' + e.reason + ')' : ''}`)));
}

async function load() {
  const r = await api('GET', `/v1/requests/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`);
  if (r.status === 200) {
    show(r.data);
    return true;
  }
  return false;
}

verifyForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(verifyForm);
  const body = { code: document.getElementById('code').value.trim() };
  const agent = verifyForm.querySelector('input[name=confirm_agent]:checked');
  if (!document.getElementById('agent-confirm').hidden && agent) body.confirm_agent = agent.value === 'yes';
  const r = await api('POST', `/v1/requests/${encodeURIComponent(id)}/verify`, body);
  if (r.status === 200) {
    document.getElementById('created').hidden = true;
    await load();
    document.getElementById('v-status').focus?.();
    return;
  }
  showError(verifyForm, r.data && r.data.error);
});

document.getElementById('resend').addEventListener('click', async () => {
  clearErrors(verifyForm);
  const r = await api('POST', `/v1/requests/${encodeURIComponent(id)}/resend-code`, { token });
  if (r.status === 202) {
    const n = el('p', { class: 'hint', role: 'status' }, 'We sent you a new code.');
    verifyForm.append(n);
  } else {
    showError(verifyForm, r.data && r.data.error);
  }
});

const lookup = document.getElementById('lookup-form');
lookup.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(lookup);
  id = document.getElementById('lookup-id').value.trim();
  token = document.getElementById('lookup-token').value.trim();
  if (await load()) {
    lookup.hidden = true;
    history.replaceState(null, '', `/status#id=${encodeURIComponent(id)}&token=${encodeURIComponent(token)}`);
  } else {
    showError(lookup, { field: 'id', message: 'We found no request with this number and key.' });
  }
});

if (p.get('new')) document.getElementById('created').hidden = false;
if (id && token) {
  load().then((ok) => { if (!ok) lookup.hidden = false; });
} else {
  lookup.hidden = false;
}
