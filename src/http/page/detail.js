// The fleet page's detail panel: one agent's summary, conditions, merged events and last output.
import { age, ago } from './format.js';

const $ = (id) => document.getElementById(id);
const OUTPUT_LINES = 100;
/** Output changes without the item changing: re-read it this often while the panel is open. */
const REFRESH_MS = 3000;

let current = null;
let opts = null;
let timer = null;
let inFlight = false;
let again = false;
let last = null;

export function detailName() {
  return current;
}

export function openDetail(name, options) {
  current = name;
  opts = options;
  last = null;
  $('detail').hidden = false;
  document.body.classList.add('with-detail');
  $('d-name').textContent = name;
  $('d-phase').replaceChildren();
  $('d-summary').replaceChildren();
  $('d-conditions').tBodies[0].replaceChildren();
  $('d-events').replaceChildren();
  $('d-output').textContent = 'loading…';
  $('d-output-note').textContent = '';
  clearInterval(timer);
  timer = setInterval(refresh, REFRESH_MS);
  refresh();
}

export function closeDetail() {
  current = null;
  clearInterval(timer);
  $('detail').hidden = true;
  document.body.classList.remove('with-detail');
  opts?.onClose?.();
}

$('d-close').addEventListener('click', closeDetail);

/** A table row changed: the panel follows it at once. */
export function itemChanged(item) {
  if (item.name === current) refresh();
}

export function tickDetail(now) {
  if (last) render(last, now);
}

async function refresh() {
  if (!current) return;
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  const name = current;
  try {
    const r = await fetch(opts.apiUrl(`/api/agents/${encodeURIComponent(name)}?lines=${OUTPUT_LINES}`));
    if (name !== current) return;
    if (r.status === 404) {
      last = null;
      $('d-phase').replaceChildren(opts.phaseBadge('Gone'));
      $('d-output').textContent = '';
      $('d-output-note').textContent = 'this agent no longer exists';
      return;
    }
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
    last = await r.json();
    render(last, Date.now());
  } catch (err) {
    $('d-output-note').textContent = `cannot load: ${err.message}`;
  } finally {
    inFlight = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

const pairs = (o) => Object.entries(o ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');

function render(d, now) {
  const i = d.item;
  const s = d.spec;
  $('d-phase').replaceChildren(opts.phaseBadge(i.phase));
  const rows = [
    ['Message', i.message || '-'],
    ['Desired', i.desiredState],
    ['Ready', i.ready ? 'True' : 'False'],
    ['Restarts', String(i.restarts)],
    ['Started', i.startedAt ? `${ago(i.startedAt, now)} (${i.startedAt})` : '-'],
    ['Last exit', i.lastExit ?? '-'],
    ['Runtime', i.runtime],
    ['Host', i.host],
    ['Handle', i.handle ?? '-'],
    ['Source', i.source ?? '-'],
    ['Spec hash', `${(i.specHash ?? '-').slice(0, 12)}${i.upToDate || !i.specHash ? '' : ' (out of date)'}`],
  ];
  for (const [k, v] of Object.entries(i.details ?? {})) rows.push([k, v]);
  if (s) {
    rows.push(['Command', s.command], ['Workdir', s.workdir ?? '-'], ['Restart policy', s.restartPolicy]);
    if (Object.keys(s.env).length) rows.push(['Env', pairs(s.env)]);
    if (s.envFiles.length) rows.push(['Env files', `${s.envFiles.join(', ')} (values not shown)`]);
    if (s.healthCheck) rows.push(['Health check', s.healthCheck]);
    if (s.dependsOn.length) rows.push(['Depends on', s.dependsOn.join(', ')]);
    if (Object.keys(s.labels).length) rows.push(['Labels', pairs(s.labels)]);
  }
  $('d-summary').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', '', k), el('dd', '', v)]));

  const conds = i.conditions.map((c) => {
    const tr = el('tr', `cond ${c.status === 'True' ? 'is-true' : 'is-false'}`);
    tr.append(el('td', '', c.type), el('td', '', c.status), el('td', '', c.reason), el('td', '', ago(c.lastTransitionTime, now)), el('td', '', c.message || '-'));
    return tr;
  });
  $('d-conditions').tBodies[0].replaceChildren(...(conds.length ? conds : [el('tr', 'none', '')]));
  if (!conds.length) $('d-conditions').tBodies[0].firstChild.append(Object.assign(el('td', '', 'none'), { colSpan: 5 }));

  // Newest first: the page is read from the top.
  const events = [...d.events].reverse().map((e) => {
    const li = el('li', e.type === 'Warning' ? 'warning' : 'normal');
    const when = el('time', '', ago(e.lastTime, now));
    when.dateTime = e.lastTime;
    when.title = e.count > 1 ? `first ${e.firstTime}, last ${e.lastTime}` : e.lastTime;
    li.append(el('strong', 'title', e.title), el('span', 'msg', e.message), when);
    return li;
  });
  $('d-events').replaceChildren(...(events.length ? events : [el('li', 'none', 'none')]));

  const out = $('d-output');
  const atBottom = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
  out.textContent = d.outputError ? '' : d.output || '(no output yet)';
  if (atBottom) out.scrollTop = out.scrollHeight;
  $('d-output-note').textContent = d.outputError ?? `last ${OUTPUT_LINES} lines${i.startedAt ? ` · up ${age(i.startedAt, now)}` : ''}`;
}
