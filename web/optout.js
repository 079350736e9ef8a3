import { api, center, clearErrors, deviceId, gpcEnabled, showError } from '/app.js';

const form = document.getElementById('optout-form');
const purpose = form.dataset.purpose;

// A browser sending Global Privacy Control is opted out of sale/sharing on arrival; the page says so.
async function honourGpc() {
  if (!gpcEnabled()) return;
  const r = await api('POST', '/v1/gpc', { device_id: deviceId() });
  if (r.status === 200 && r.data.gpc_honoured) {
    const box = document.getElementById('gpc');
    box.textContent = r.data.message;
    box.hidden = false;
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors(form);
  const identifiers = {};
  const email = document.getElementById('email').value.trim();
  const phone = document.getElementById('phone').value.trim();
  if (email) identifiers.email = email;
  if (phone) identifiers.phone = phone;
  const body = { purpose, device_id: deviceId() };
  if (Object.keys(identifiers).length) body.identifiers = identifiers;
  const r = await api('POST', '/v1/opt-out', body);
  if (r.status === 200) {
    const done = document.getElementById('done');
    done.textContent = 'Done: your choice is recorded' +
      (r.data.processing_due ? ` and every system that uses your information will honour it by ${r.data.processing_due}.` : '.');
    done.hidden = false;
    done.focus?.();
    return;
  }
  showError(form, r.data && r.data.error);
});

center();
honourGpc();
