import { clearErrors, el, showError } from '/app.js';
import { call, requireSession, TYPE_WORDS } from '/admin/admin.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#0b5394', '#e69138', '#6aa84f', '#a64d79', '#3d85c6', '#cc0000', '#674ea7', '#45818e', '#bf9000', '#999999', '#38761d', '#741b47'];
let metrics = null;

function svg(tag, attrs = {}, ...children) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  for (const c of children) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}

// A bar chart: bars = [{label, values: [{name, value}]}] (stacked), with an optional reference line.
function barChart(title, bars, { reference, referenceLabel } = {}) {
  const width = 720, height = 260, left = 40, bottom = 50, top = 20;
  const max = Math.max(1, reference || 0, ...bars.map((b) => b.values.reduce((s, v) => s + v.value, 0)));
  const step = (width - left - 10) / Math.max(1, bars.length);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': title });
  root.append(svg('title', {}, title));
  root.append(svg('line', { x1: left, y1: y(0), x2: width - 10, y2: y(0), stroke: '#555' }));
  root.append(svg('text', { x: 4, y: y(max) + 4, 'font-size': 11 }, String(Math.round(max))));
  const names = [];
  bars.forEach((b, i) => {
    let base = 0;
    for (const v of b.values) {
      if (!names.includes(v.name)) names.push(v.name);
      if (v.value <= 0) continue;
      const color = COLORS[names.indexOf(v.name) % COLORS.length];
      root.append(svg('rect', { x: left + i * step + step * 0.15, y: y(base + v.value), width: step * 0.7, height: y(base) - y(base + v.value), fill: color },
        svg('title', {}, `${b.label}, ${v.name}: ${v.value}`)));
      base += v.value;
    }
    root.append(svg('text', { x: left + i * step + step / 2, y: height - bottom + 15, 'font-size': 11, 'text-anchor': 'middle' }, b.label));
  });
  if (reference) {
    root.append(svg('line', { x1: left, y1: y(reference), x2: width - 10, y2: y(reference), stroke: '#a40000', 'stroke-dasharray': '6 4' }));
    root.append(svg('text', { x: width - 12, y: y(reference) - 4, 'font-size': 11, 'text-anchor': 'end', fill: '#a40000' }, referenceLabel));
  }
  const legend = el('p', { class: 'hint' }, ...names.map((n, i) => el('span', {},
    svg('svg', { width: 12, height: 12, 'aria-hidden': 'true' }, svg('rect', { width: 12, height: 12, fill: COLORS[i % COLORS.length] })),
    ` ${n}   `)));
  const wrap = el('figure', {}, root, el('figcaption', {}, title), legend);
  return wrap;
}

async function perMonth(year) {
  const r = await call('GET', '/v1/admin/requests?limit=1000');
  const rows = (r.status === 200 && r.data.requests) || [];
  const months = Array.from({ length: 12 }, (_, i) => ({ label: new Date(Date.UTC(year, i, 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' }), counts: {} }));
  for (const x of rows) {
    const d = new Date(x.received_at);
    if (d.getUTCFullYear() !== year) continue;
    const m = months[d.getUTCMonth()];
    const t = TYPE_WORDS[x.type] || x.type;
    m.counts[t] = (m.counts[t] || 0) + 1;
  }
  const bars = months.map((m) => ({ label: m.label, values: Object.entries(m.counts).map(([name, value]) => ({ name, value })) }));
  document.getElementById('per-month').replaceChildren(barChart(`Requests received per month in ${year}, by type`, bars));
}

function draw() {
  const types = metrics.types || [];
  document.querySelector('#table tbody').replaceChildren(...types.map((t) => el('tr', {},
    el('td', {}, TYPE_WORDS[t.type] || t.type), el('td', {}, t.received), el('td', {}, t.complied_in_whole_or_part),
    el('td', {}, t.denied), el('td', {}, t.pending), el('td', {}, t.median_days_to_respond ?? '—'), el('td', {}, t.mean_days_to_respond ?? '—'))));
  document.getElementById('days').replaceChildren(barChart('Median and mean days to respond, per type',
    types.map((t) => ({ label: TYPE_WORDS[t.type] || t.type, values: [{ name: 'median', value: Number(t.median_days_to_respond) || 0 }] })),
    { reference: 45, referenceLabel: 'deadline: 45 days' }),
    barChart('Mean days to respond, per type',
      types.map((t) => ({ label: TYPE_WORDS[t.type] || t.type, values: [{ name: 'mean', value: Number(t.mean_days_to_respond) || 0 }] })),
      { reference: 45, referenceLabel: 'deadline: 45 days' }));
  const reasons = {};
  for (const t of types) for (const [reason, n] of Object.entries(t.denied_by_reason || {})) reasons[reason] = (reasons[reason] || 0) + n;
  document.getElementById('denials').replaceChildren(Object.keys(reasons).length
    ? barChart('Denials by reason', Object.entries(reasons).map(([label, value]) => ({ label, values: [{ name: 'denied', value }] })))
    : el('p', {}, 'No request was denied this year.'));
}

function csv() {
  const head = ['type', 'received', 'complied_in_whole_or_part', 'denied', 'pending', 'median_days_to_respond', 'mean_days_to_respond'];
  const lines = [head.join(',')];
  for (const t of metrics.types || []) lines.push(head.map((k) => (t[k] ?? '')).join(','));
  const blob = new Blob([lines.join('\n') + '\n'], { type: 'text/csv' });
  const a = el('a', { href: URL.createObjectURL(blob), download: `ccpa-7102-metrics-${metrics.year}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
}

const form = document.getElementById('year-form');
async function load() {
  clearErrors(form);
  const year = document.getElementById('year').value.trim();
  const r = await call('GET', '/v1/admin/metrics?year=' + encodeURIComponent(year));
  if (r.status !== 200) return showError(form, r.data && r.data.error);
  metrics = r.data;
  draw();
  await perMonth(Number(metrics.year));
}
form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
document.getElementById('csv').addEventListener('click', () => metrics && csv());

requireSession().then(() => {
  document.getElementById('year').value = String(new Date().getUTCFullYear());
  load();
});
