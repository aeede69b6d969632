// Label selectors in kubectl's syntax (pure): `a=b,c!=d`, `key`, `!key`, `key in (x,y)`, `key notin (x,y)`.

export type Requirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | 'absent' };

export class SelectorError extends Error {
  constructor(
    readonly selector: string,
    readonly at: number,
    what: string,
  ) {
    super(`invalid label selector "${selector}" at character ${at + 1}: ${what}`);
    this.name = 'SelectorError';
  }
}

// metadata.labels takes any string: a key or value is anything the syntax itself does not use.
const KEY = /^[^\s,=!()]+$/;
const VALUE = /^[^\s,=!()]*$/;

/** Splits at the commas that are not inside a `(...)` set, keeping each term's offset. */
function terms(text: string): { term: string; at: number }[] {
  const out: { term: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (i === text.length || (c === ',' && depth === 0)) {
      out.push({ term: text.slice(start, i), at: start });
      start = i + 1;
    }
  }
  return out;
}

export function parseSelector(text: string): Requirement[] {
  if (text.trim() === '') return [];
  return terms(text).map(({ term, at }) => parseTerm(text, term, at));
}

function parseTerm(whole: string, raw: string, at: number): Requirement {
  const t = raw.trim();
  const lead = at + raw.indexOf(t);
  const fail = (what: string, off = 0): never => {
    throw new SelectorError(whole, lead + off, what);
  };
  const key = (k: string, off = 0): string =>
    KEY.test(k) ? k : fail(k === '' ? 'a label key is missing' : `"${k}" is not a label key`, off);
  const value = (v: string, off: number): string => (VALUE.test(v) ? v : fail(`"${v}" is not a label value`, off));
  if (t === '') return fail('an empty requirement');
  if (t.startsWith('!')) return { key: key(t.slice(1).trim(), 1), op: 'absent' };
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(t);
  if (set) {
    const open = t.indexOf('(') + 1;
    const values = set[3]!.split(',').map((v) => v.trim());
    if (values.length === 1 && values[0] === '') fail('a set needs at least one value', open);
    return { key: key(set[1]!), op: set[2] as 'in' | 'notin', values: values.map((v) => value(v, open)) };
  }
  if (/\s(in|notin)\b/.test(t)) return fail('a set is written `key in (a,b)`');
  const eq = /^([^=!]*?)\s*(==|!=|=)\s*(.*)$/.exec(t);
  if (eq) {
    const off = t.indexOf(eq[2]!) + eq[2]!.length;
    return { key: key(eq[1]!.trim()), op: eq[2] === '!=' ? 'notin' : 'in', values: [value(eq[3]!.trim(), off)] };
  }
  return { key: key(t), op: 'exists' };
}

export function matches(reqs: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'absent':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
    }
  });
}
