// Steward's web pages in a real browser: playwright-core driving Debian's chromium (headless)
// against a real `steward serve` on the example company. Run by `make test` (ctest: browser).
// Env: STEWARD_BIN (default build/steward), STEWARD_BROWSER_ARTIFACTS (screenshots; default
// build/browser-artifacts), CHROMIUM (default /usr/bin/chromium).
import { spawn, execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.STEWARD_BIN || path.join(root, 'build/steward');
const artifacts = process.env.STEWARD_BROWSER_ARTIFACTS || path.join(root, 'build/browser-artifacts');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
fs.mkdirSync(artifacts, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-browser-'));
const data = path.join(work, 'data');
const env = { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache') };

function steward(...args) {
  return execFileSync(bin, ['--dir', data, ...args], { env, encoding: 'utf8' });
}
function requestList() {
  try {
    return steward('request', 'list', '--json');
  } catch (e) {
    return e.stdout || '';  // exit 1: no requests
  }
}
function sql(query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', path.join(data, 'acme-shop.db'), query], { encoding: 'utf8' }).trim();
}

let server = null;
let log = '';
let browser = null;
const results = [];

async function startServer() {
  server = spawn(bin, ['--dir', data, 'serve', '--listen', '127.0.0.1:0'], { env });
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200; i++) {
    const m = log.match(/http:\/\/127\.0\.0\.1:(\d+)\/healthz/);
    if (m) return `http://127.0.0.1:${m[1]}`;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('steward serve did not start:\n' + log);
}

async function waitFor(re, what) {
  for (let i = 0; i < 100; i++) {
    const m = log.match(re);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${what} in the server log`);
}

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push(`FAIL ${name}: ${e.stack || e}`);
    let n = 0;  // what the pages showed when it failed
    for (const ctx of browser ? browser.contexts() : [])
      for (const page of ctx.pages()) await shot(page, `failed-${name.replace(/\W+/g, '-').slice(0, 40)}-${n++}`).catch(() => {});
  }
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// A new browser context watching for script errors and CSP violations on every page.
async function context(options = {}) {
  const ctx = await browser.newContext(options);
  ctx.on('page', (page) => {
    page.on('pageerror', (e) => results.push(`FAIL script error on ${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) results.push(`FAIL CSP on ${page.url()}: ${m.text()}`);
    });
  });
  return ctx;
}

async function fileRequest(consumer, base, type, person) {
  const page = await consumer.newPage();
  await page.goto(base + '/request');
  await page.getByLabel('Where do you live?').selectOption('US-CA');
  await page.locator(`#type-${type}`).check();
  await page.getByLabel('Full name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('ZIP or postal code').fill(person.zip);
  if (await page.locator('#declaration').isVisible()) await page.locator('#declaration').check();
  await page.getByRole('button', { name: 'Send my request' }).click();
  await page.waitForURL(/\/status#id=/);
  const id = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('id');
  const code = (await waitFor(new RegExp(`code for privacy request ${id} is: (\\d{6})`), `code for ${id}`))[1];
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await assertText(page, '#v-status', 'Confirmed');
  if (type === 'delete' && !fs.existsSync(path.join(artifacts, 'center-status-verified.png'))) await shot(page, 'center-status-verified');
  const statusUrl = page.url();
  await page.close();
  return { id, statusUrl };
}

async function assertText(page, selector, text) {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 10000 });
}

async function signIn(page, base, token) {
  await page.goto(base + '/admin');
  await page.getByLabel('Staff token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#role').waitFor();
}

async function operate(page, base, id) {
  await page.goto(`${base}/admin/request#id=${id}`);
  await page.getByRole('button', { name: 'Approve' }).click();
  await assertText(page, '#status', 'in_progress');
  await page.getByRole('button', { name: 'Run fulfilment' }).click();
  await assertText(page, '#status', 'completed');
}

try {
  steward('init', '--example', 'acme', '--customers', '30');
  // One browser files many public requests from one address within a minute: raise the limit.
  const config = path.join(data, 'steward.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/intake_per_minute: \d+/, 'intake_per_minute: 600')
    .replace(/intake_burst: \d+/, 'intake_burst: 300'));
  const token = (role) => steward('token', 'create', '--role', role, '--label', 'browser test').split('\n')[0].trim();
  const operator = token('operator');
  const auditor = token('auditor');
  const base = await startServer();
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });

  // Customer 5 of the deterministic example company, with the postal code its records hold.
  const person = { name: 'Jennifer Smith', email: 'jennifer.smith5@example.com', zip: sql('SELECT zip FROM addresses WHERE customer_id = 5 ORDER BY id LIMIT 1') };
  const consumer = await context();
  const staff = await context();
  const cpage = await consumer.newPage();
  const spage = await staff.newPage();

  await step('privacy center pages render with their labels', async () => {
    for (const [p, heading] of [['/', 'Your privacy choices'], ['/request', 'Make a privacy request'], ['/status', 'Your request'],
      ['/do-not-sell', 'Do Not Sell or Share'], ['/limit', 'Limit the Use'], ['/consent', 'Consent preferences']]) {
      await cpage.goto(base + p);
      await cpage.getByRole('heading', { level: 1 }).filter({ hasText: heading }).waitFor();
      await shot(cpage, 'center' + (p === '/' ? '-home' : p.replace(/\//g, '-')));
    }
    await cpage.goto(base + '/privacy/policy');
    assert.match(await cpage.content(), /<caption>|Privacy/);
    await shot(cpage, 'center-privacy-policy');
  });

  await step('a bad request shows the server message next to its field and stores nothing', async () => {
    const before = requestList();
    await cpage.goto(base + '/request');
    await cpage.getByLabel('Where do you live?').selectOption('US-CA');
    await cpage.locator('#type-access').check();
    await cpage.getByLabel('Email', { exact: true }).fill('not-an-email');
    await cpage.getByRole('button', { name: 'Send my request' }).click();
    const error = cpage.locator('.error[role=alert]').first();
    await error.waitFor();
    assert.ok((await error.textContent()).length > 5);
    await shot(cpage, 'center-request-error');
    assert.equal(requestList(), before);
  });

  let deleted;
  await step('a consumer deletes their data: filed, verified, approved, fulfilled, rows gone, status completed', async () => {
    deleted = await fileRequest(consumer, base, 'delete', person);
    await signIn(spage, base, operator);
    await spage.locator(`a[href="/admin/request#id=${deleted.id}"]`).waitFor();
    await shot(spage, 'admin-queue');
    await spage.goto(`${base}/admin/request#id=${deleted.id}`);
    await spage.locator('#plan table').waitFor();
    await shot(spage, 'admin-request-plan');
    await operate(spage, base, deleted.id);
    assert.equal(await spage.locator('#plan-section').isVisible(), false);  // no stale plan once done
    await shot(spage, 'admin-request-completed');
    assert.equal(sql(`SELECT count(*) FROM customers WHERE email = '${person.email}'`), '0');
    await cpage.goto(deleted.statusUrl);
    await cpage.reload();
    await assertText(cpage, '#v-status', 'Completed');
    await shot(cpage, 'center-status-completed');
  });

  await step('an access request ends in a downloadable zip', async () => {
    const other = { name: 'Michael Johnson', email: sql('SELECT email FROM customers WHERE id = 7'), zip: sql('SELECT zip FROM addresses WHERE customer_id = 7 ORDER BY id LIMIT 1') };
    other.name = sql("SELECT first_name || ' ' || last_name FROM customers WHERE id = 7");
    const access = await fileRequest(consumer, base, 'access', other);
    await operate(spage, base, access.id);
    // The link the consumer was sent (its host is the configured public address; this server's port is ours).
    const link = base + (await waitFor(/(\/v1\/packages\/[A-Za-z0-9_-]+)/, 'download link'))[1];
    const download = cpage.waitForEvent('download');
    await cpage.goto(link).catch(() => {});  // a download, not a page
    const file = await (await download).path();
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    assert.ok(bytes.length > 100);
  });

  await step('a browser sending GPC is told the signal was honoured', async () => {
    const gpc = await context({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
    await gpc.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    const page = await gpc.newPage();
    await page.goto(base + '/do-not-sell');
    await assertText(page, '#gpc', 'honoured');
    await shot(page, 'center-do-not-sell-gpc');
    await gpc.close();
  });

  await step('opt-out and consent forms record choices', async () => {
    await cpage.goto(base + '/limit');
    await cpage.getByLabel('Email (optional)').fill('pat@example.com');
    await cpage.getByRole('button', { name: /Limit the use/ }).click();
    await assertText(cpage, '#done', 'recorded');
    await cpage.goto(base + '/consent');
    const box = cpage.locator('#purposes input[type=checkbox]').first();
    await box.check();
    await cpage.getByRole('button', { name: 'Save my choices' }).click();
    await cpage.locator('#saved').waitFor({ state: 'visible' });
    await cpage.reload();
    assert.ok(await cpage.locator('#purposes input[type=checkbox]').first().isChecked());
  });

  await step('an auditor sees no actions and the server refuses an approval', async () => {
    const audit = await context();
    const page = await audit.newPage();
    const other = { email: sql('SELECT email FROM customers WHERE id = 9'), zip: sql('SELECT zip FROM addresses WHERE customer_id = 9 ORDER BY id LIMIT 1'),
      name: sql("SELECT first_name || ' ' || last_name FROM customers WHERE id = 9") };
    const filed = await fileRequest(consumer, base, 'delete', other);
    await signIn(page, base, auditor);
    await page.goto(`${base}/admin/request#id=${filed.id}`);
    await assertText(page, '#status', 'verified');
    assert.equal(await page.locator('#actions-section').isVisible(), false);
    await shot(page, 'admin-request-auditor');
    const r = await page.evaluate(async (id) => {
      const s = await (await fetch('/v1/admin/session')).json();
      const res = await fetch(`/v1/admin/requests/${id}/approve`, { method: 'POST', headers: { 'X-CSRF-Token': s.csrf_token, 'Content-Type': 'application/json' }, body: '{}' });
      return { status: res.status, body: await res.json() };
    }, filed.id);
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'permission_denied');
    await audit.close();
  });

  await step('a state change without the CSRF token is refused', async () => {
    const pending = { email: sql('SELECT email FROM customers WHERE id = 11'), zip: sql('SELECT zip FROM addresses WHERE customer_id = 11 ORDER BY id LIMIT 1'),
      name: sql("SELECT first_name || ' ' || last_name FROM customers WHERE id = 11") };
    const filed = await fileRequest(consumer, base, 'delete', pending);
    await spage.goto(base + '/admin');
    const r = await spage.evaluate(async (id) => {
      const res = await fetch(`/v1/admin/requests/${id}/approve`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: res.status, body: await res.json() };
    }, filed.id);
    assert.equal(r.status, 403);
    assert.equal(r.body.error.field, 'x-csrf-token');
    assert.match(steward('request', 'show', filed.id), /verified/);
  });

  await step('the console pages render: metrics with charts and CSV, data map, notices', async () => {
    await spage.goto(base + '/admin/metrics');
    await spage.locator('#per-month svg.chart').waitFor();
    await spage.locator('#table tbody tr').first().waitFor();
    await shot(spage, 'admin-metrics');
    const download = spage.waitForEvent('download');
    await spage.getByRole('button', { name: /Download/ }).click();
    const csv = fs.readFileSync(await (await download).path(), 'utf8');
    assert.match(csv, /^type,received,complied_in_whole_or_part/);
    await spage.goto(base + '/admin/datamap');
    await spage.locator('#map tbody tr').first().waitFor();
    await shot(spage, 'admin-datamap');
    await spage.goto(base + '/admin/notices');
    await spage.locator('#versions tbody tr').first().waitFor();
    await shot(spage, 'admin-notices');
    await spage.getByRole('button', { name: 'Sign out' }).click();
    await spage.getByLabel('Staff token').waitFor();
  });

  await step('keyboard: every form field on the request page can be reached with Tab and has a label', async () => {
    await cpage.goto(base + '/request');
    const unlabelled = await cpage.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id || e.name));
    assert.deepEqual(unlabelled, []);
    await cpage.keyboard.press('Tab');
    await cpage.keyboard.press('Tab');
    const focused = await cpage.evaluate(() => document.activeElement && document.activeElement.tagName);
    assert.ok(focused && focused !== 'BODY');
  });

  await step('on a phone-sized screen the request form fits without sideways scrolling', async () => {
    const phone = await context({ viewport: { width: 375, height: 740 } });
    const page = await phone.newPage();
    await page.goto(base + '/request');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `scrolls ${overflow}px sideways`);
    await shot(page, 'center-request-phone');
    await phone.close();
  });
} catch (e) {
  results.push(`FAIL setup: ${e.stack || e}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.kill('SIGTERM');
  fs.writeFileSync(path.join(artifacts, 'server.log'), log);
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(results.join('\n'));
console.log(`screenshots: ${artifacts}`);
process.exit(results.some((r) => r.startsWith('FAIL')) ? 1 : 0);
