// The fleet page: a live table of agents fed by /api/events, those waiting for a person first (approve/deny when the controller allows it), browser notifications, filters, connection state.
import { PHASES, age, matchesSelector, newWaits, parseSelector, phaseTone, waitReason, waitingItems } from './format.js';
import { closeDetail, detailName, itemChanged, openDetail, tickDetail } from './detail.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const token = params.get('token');

/** API paths carry the token as a query parameter: EventSource cannot send headers. */
export function apiUrl(path) {
  if (!token) return path;
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

const items = new Map();
const rows = new Map();
const tbody = $('agents').tBodies[0];
let terms = [];
let phase = params.get('phase') ?? '';

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function phaseBadge(p) {
  return el('span', `phase tone-${phaseTone(p)}`, p);
}

function fillRow(tr, i, now) {
  tr.replaceChildren(
    el('td', 'name', i.name),
    el('td', 'phase-cell'),
    el('td', i.ready ? 'ready yes' : 'ready no', i.ready ? 'True' : 'False'),
    el('td', `num${i.restarts > 0 ? ' warn' : ''}`, String(i.restarts)),
    el('td', 'num age', age(i.startedAt, now)),
    el('td', 'host', i.host),
    el('td', 'runtime', i.runtime),
    el('td', 'msg', i.message),
  );
  tr.children[1].append(phaseBadge(i.phase));
  tr.children[7].title = i.message;
  tr.dataset.name = i.name;
  tr.dataset.phase = i.phase;
}

function visible(i) {
  return (phase === '' || i.phase === phase) && matchesSelector(i.labels, terms);
}

function rowFor(name) {
  let tr = rows.get(name);
  if (!tr) {
    tr = el('tr');
    tr.tabIndex = 0;
    rows.set(name, tr);
  }
  return tr;
}

/** Inserts a new row where its name sorts (a snapshot arrives sorted: each row goes last). */
function place(tr, name) {
  if (tr.parentNode) return;
  const last = tbody.lastElementChild;
  if (!last || last.dataset.name < name) {
    tbody.append(tr);
    return;
  }
  const next = [...tbody.rows].find((r) => r.dataset.name > name);
  tbody.insertBefore(tr, next ?? null);
}

function summarize() {
  const counts = new Map();
  let shown = 0;
  for (const i of items.values()) {
    counts.set(i.phase, (counts.get(i.phase) ?? 0) + 1);
    const tr = rows.get(i.name);
    tr.hidden = !visible(i);
    if (!tr.hidden) shown++;
  }
  const nav = $('phase-counts');
  nav.replaceChildren(
    ...PHASES.filter((p) => counts.has(p)).map((p) => {
      const b = el('button', `chip tone-${phaseTone(p)}${phase === p ? ' on' : ''}`, `${p} ${counts.get(p)}`);
      b.type = 'button';
      b.dataset.phase = p;
      b.addEventListener('click', () => setPhase(phase === p ? '' : p));
      return b;
    }),
  );
  $('count').textContent = items.size === shown ? `${items.size} agents` : `${shown} of ${items.size} agents`;
  $('empty').hidden = shown > 0;
  $('empty').textContent = items.size === 0 ? 'No agents.' : 'No agent matches the filters.';
}

function upsert(list, flash) {
  const now = Date.now();
  for (const i of list) {
    items.set(i.name, i);
    const tr = rowFor(i.name);
    fillRow(tr, i, now);
    place(tr, i.name);
    if (flash) {
      tr.classList.remove('flash');
      void tr.offsetWidth; // restarts the animation
      tr.classList.add('flash');
    }
    itemChanged(i);
  }
}

function remove(names) {
  for (const n of names) {
    items.delete(n);
    rows.get(n)?.remove();
    rows.delete(n);
    itemChanged({ name: n, gone: true });
  }
}

/** approve/deny buttons: only when the controller has a token, this page has it, and /api/info
 * says actions are on. The token goes in the Authorization header, never the address. */
let actions = false;
async function loadInfo() {
  if (!token) return;
  try {
    const r = await fetch(apiUrl('/api/info'));
    actions = r.ok && (await r.json()).actions === true;
  } catch {
    actions = false;
  }
  renderWaiting();
}

const results = new Map();
async function answer(name, verb, button) {
  for (const b of button.parentNode.querySelectorAll('button.act')) b.disabled = true;
  let text;
  let ok = false;
  try {
    const r = await fetch(`/api/agents/${encodeURIComponent(name)}/${verb}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const body = await r.json().catch(() => ({}));
    ok = r.ok;
    text = r.ok ? body.message : (body.error ?? `HTTP ${r.status}`);
  } catch (err) {
    text = err.message;
  }
  results.set(name, { text, ok });
  renderWaiting();
}

function waitRow(i, now) {
  const li = el('li');
  li.dataset.name = i.name;
  const name = el('button', 'w-name', i.name);
  name.type = 'button';
  name.addEventListener('click', () => show(i.name));
  li.append(name, el('span', 'w-why', waitReason(i)), el('span', 'w-since', `for ${age(i.claude.activitySince, now)}`));
  if (actions && i.claude.waitingFor === 'permission') {
    for (const verb of ['approve', 'deny']) {
      const b = el('button', `act ${verb}`, verb === 'approve' ? 'Approve' : 'Deny');
      b.type = 'button';
      b.dataset.verb = verb;
      b.addEventListener('click', () => answer(i.name, verb, b));
      li.append(b);
    }
  }
  const r = results.get(i.name);
  if (r) li.append(el('span', `w-result${r.ok ? '' : ' bad'}`, r.text));
  return li;
}

function renderWaiting() {
  const now = Date.now();
  const list = waitingItems(items.values());
  $('waiting').hidden = list.length === 0;
  $('waiting-note').textContent = list.length > 1 ? `${list.length} agents` : '';
  $('waiting-list').replaceChildren(...list.map((i) => waitRow(i, now)));
  for (const n of [...results.keys()]) if (!list.some((i) => i.name === n)) results.delete(n);
}

/** Notifications: asked for with the button (a browser asks only after a click), then one per
 * new wait; waits already there when the page opened are not news. */
const seenWaits = new Map();
let primed = false;
function notifyWaits() {
  const fresh = newWaits(items.values(), seenWaits);
  if (!primed) {
    primed = true;
    return;
  }
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  for (const i of fresh) {
    const n = new Notification(`${i.name} waits for a person`, { body: waitReason(i), tag: `agentctl-${i.name}` });
    n.addEventListener('click', () => {
      window.focus();
      show(i.name);
    });
  }
}

function notifyButton() {
  const b = $('notify');
  if (!('Notification' in window)) return;
  const label = () => {
    b.textContent = Notification.permission === 'granted' ? 'Notifying of waits' : Notification.permission === 'denied' ? 'Notifications blocked' : 'Notify me of waits';
    b.disabled = Notification.permission !== 'default';
  };
  b.hidden = false;
  label();
  b.addEventListener('click', async () => {
    await Notification.requestPermission();
    label();
  });
}

function setConn(state, text) {
  $('conn').dataset.state = state;
  $('conn-text').textContent = text;
}

let source;
function connect() {
  source = new EventSource(apiUrl('/api/events'));
  source.addEventListener('snapshot', (e) => {
    const { items: list } = JSON.parse(e.data);
    remove([...items.keys()].filter((n) => !list.some((i) => i.name === n)));
    upsert(list, false);
    summarize();
    renderWaiting();
    notifyWaits();
    setConn('live', `live · ${new Date().toLocaleTimeString()}`);
  });
  source.addEventListener('change', (e) => {
    const change = JSON.parse(e.data);
    upsert(change.upsert, true);
    remove(change.delete);
    summarize();
    renderWaiting();
    notifyWaits();
    setConn('live', `live · ${new Date().toLocaleTimeString()}`);
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      // Refused (a bad token, the server gone for good): EventSource gives up, so try again later.
      setConn('offline', 'offline · retrying');
      setTimeout(connect, 5000);
    } else {
      setConn('reconnecting', 'reconnecting…');
    }
  });
}

function syncUrl() {
  const p = new URLSearchParams(location.search);
  const sel = $('selector').value.trim();
  sel ? p.set('selector', sel) : p.delete('selector');
  phase ? p.set('phase', phase) : p.delete('phase');
  const name = detailName();
  const q = p.toString();
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${name ? `#agent=${encodeURIComponent(name)}` : ''}`);
}

function setSelector(text) {
  try {
    terms = parseSelector(text);
    $('selector-error').textContent = '';
    $('selector').removeAttribute('aria-invalid');
  } catch (err) {
    $('selector-error').textContent = err.message;
    $('selector').setAttribute('aria-invalid', 'true');
  }
  summarize();
  syncUrl();
}

function setPhase(p) {
  phase = p;
  $('phase').value = p;
  summarize();
  syncUrl();
}

function deselect() {
  for (const tr of rows.values()) tr.classList.remove('selected');
  syncUrl();
}

function show(name) {
  openDetail(name, { apiUrl, phaseBadge, onClose: deselect });
  for (const [n, tr] of rows) tr.classList.toggle('selected', n === name);
  syncUrl();
}

for (const p of PHASES) $('phase').append(Object.assign(el('option', '', p), { value: p }));
$('phase').value = phase;
$('phase').addEventListener('change', () => setPhase($('phase').value));
$('selector').value = params.get('selector') ?? '';
$('selector').addEventListener('input', () => setSelector($('selector').value));
tbody.addEventListener('click', (e) => {
  const tr = e.target.closest('tr');
  if (tr?.dataset.name) show(tr.dataset.name);
});
tbody.addEventListener('keydown', (e) => {
  const tr = e.target.closest('tr');
  if (e.key === 'Enter' && tr?.dataset.name) show(tr.dataset.name);
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && detailName()) closeDetail();
});
setInterval(() => {
  const now = Date.now();
  for (const i of items.values()) rows.get(i.name).querySelector('.age').textContent = age(i.startedAt, now);
  tickDetail(now);
  for (const li of $('waiting-list').children) {
    const i = items.get(li.dataset.name);
    if (i) li.querySelector('.w-since').textContent = `for ${age(i.claude.activitySince, now)}`;
  }
}, 5000);

setSelector($('selector').value);
const initial = /^#agent=(.+)$/.exec(location.hash);
if (initial) show(decodeURIComponent(initial[1]));
notifyButton();
loadInfo();
connect();
