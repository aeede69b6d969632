// The fleet page's pure helpers: label selectors, ages and phase colours (no DOM; unit-tested).

/** Parses a kubectl-style equality selector: `k=v`, `k==v`, `k!=v`, `k` (has), `!k` (has not),
 * joined by commas; every term must hold. Throws an Error naming the bad term. */
export function parseSelector(text) {
  const terms = [];
  for (const raw of String(text).split(',')) {
    const t = raw.trim();
    if (t === '') continue;
    let m;
    if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*([^=!,]*)$/.exec(t))) {
      terms.push({ key: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
    } else if ((m = /^!\s*([^=!\s]+)$/.exec(t))) {
      terms.push({ key: m[1], op: '!has' });
    } else if ((m = /^([^=!\s]+)$/.exec(t))) {
      terms.push({ key: m[1], op: 'has' });
    } else {
      throw new Error(`not a label selector term: "${t}" (use key=value, key!=value, key or !key)`);
    }
  }
  return terms;
}

export function matchesSelector(labels, terms) {
  const l = labels ?? {};
  return terms.every((t) => {
    const has = Object.prototype.hasOwnProperty.call(l, t.key);
    switch (t.op) {
      case '=': return has && l[t.key] === t.value;
      case '!=': return !has || l[t.key] !== t.value;
      case 'has': return has;
      default: return !has;
    }
  });
}

/** 5s, 3m, 2h, 4d: kubectl's AGE column. */
export function age(fromIso, nowMs) {
  if (!fromIso) return '-';
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return '-';
  const s = Math.max(0, Math.floor((nowMs - from) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** `3m ago`, or `just now` under two seconds. */
export function ago(iso, nowMs) {
  const a = age(iso, nowMs);
  if (a === '-') return '-';
  return a === '0s' || a === '1s' ? 'just now' : `${a} ago`;
}

export const PHASES = ['Running', 'Pending', 'CrashLoopBackOff', 'Failed', 'Unknown', 'Suspended', 'Stopped', 'Succeeded'];

/** The CSS modifier of a phase: good, wait, bad, done, off, or unknown. */
export function phaseTone(phase) {
  switch (phase) {
    case 'Running': return 'good';
    case 'Pending': return 'wait';
    case 'CrashLoopBackOff':
    case 'Failed': return 'bad';
    case 'Succeeded': return 'done';
    case 'Stopped':
    case 'Suspended': return 'off';
    default: return 'unknown';
  }
}

/** Agents that wait for a person (Claude Code's WaitingForInput), the longest waiting first. */
export function waitingItems(items) {
  const since = (i) => Date.parse(i.claude?.activitySince ?? '') || 0;
  return [...items]
    .filter((i) => i.claude?.activity === 'WaitingForInput')
    .sort((a, b) => since(a) - since(b) || (a.name < b.name ? -1 : 1));
}

/** `permission: Claude wants to use Bash`, or what it waits for alone. */
export function waitReason(i) {
  const c = i.claude ?? {};
  const what = c.waitingFor ?? 'input';
  return c.waitingMessage ? `${what}: ${c.waitingMessage}` : what;
}

/** The waits in `items` not in `seen` (a map name → since), to notify once each; `seen` is updated. */
export function newWaits(items, seen) {
  const out = [];
  const now = new Set();
  for (const i of waitingItems(items)) {
    const key = i.claude.activitySince ?? '';
    now.add(i.name);
    if (seen.get(i.name) !== key) out.push(i);
    seen.set(i.name, key);
  }
  for (const n of [...seen.keys()]) if (!now.has(n)) seen.delete(n);
  return out;
}
