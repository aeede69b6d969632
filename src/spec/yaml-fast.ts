// The fast way to read a plain spec file: js-yaml under the exact YAML 1.2 core schema of `yaml` (pure).
//
// `yaml` keeps a full node tree with positions, which costs ~0.15 ms per small file warm and far
// more cold (10,000 specs: ~1.5 s); js-yaml builds values only (~20x faster). The result must be
// the one `yaml` would give, so this path declines (returns undefined, and `yaml` parses the file
// as before) for everything where the two could differ or where positions are needed:
// - anything js-yaml refuses (its errors are never shown: `yaml` reports the file as always);
// - anchors, aliases, tags, merge keys (`<<`), directives, several documents in one file;
// - a document that is not a mapping, a key that is null (`yaml` writes it as ""), and strings
//   that fail the string checks (their error needs a position).
// Plain scalars resolve exactly as in `yaml`'s core schema (the same patterns, tried in the same
// order): no YAML 1.1 forms such as `0b101`, `1_000`, `yes` or timestamps.
import jsyaml from 'js-yaml';
import { stringProblems } from './string-checks.js';

export interface FastDocument {
  index: number;
  value: unknown;
  line: number;
  start: number;
}

const scalar = (tag: string, test: RegExp, construct: (s: string) => unknown): jsyaml.Type =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && test.test(s),
    construct: (s: string | null) => construct(s ?? ''),
  });

// yaml/dist/schema/core: nullTag, boolTag, intOct, int, intHex, floatNaN, floatExp, float.
const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (s: string | null) => s === null || /^(?:~|[Nn]ull|NULL)?$/.test(s),
      construct: () => null,
    }),
    scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
    scalar('int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (s) =>
      s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10),
    ),
    scalar(
      'float',
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
      (s) =>
        /^[-+]?\./.test(s) && /inf$/i.test(s)
          ? s[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY
          : /nan$/i.test(s)
            ? Number.NaN
            : parseFloat(s),
    ),
  ],
});

/** Where the document's content starts (as `yaml` reports `contents.range[0]`), or undefined
 * when the text is not one plain document: comments, blank lines and one leading `---` may come
 * first; a directive, a second document marker or an end marker anywhere make it decline. */
export function contentStart(text: string): number | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let start: number | undefined;
  let markerSeen = false;
  while (i < text.length) {
    const eol = text.indexOf('\n', i);
    const end = eol < 0 ? text.length : eol;
    const line = text.slice(i, end);
    if (/^(?:---|\.\.\.)(?:[ \t]|\r?$)/.test(line) || line.startsWith('%')) {
      if (start !== undefined || markerSeen || !line.startsWith('---')) return undefined;
      markerSeen = true;
      const rest = /^---[ \t]*/.exec(line)![0].length;
      if (start === undefined && rest < line.length && line[rest] !== '#' && line[rest] !== '\r') start = i + rest;
    } else if (start === undefined) {
      const m = /^[ \t]*/.exec(line)![0].length;
      if (m < line.length && line[m] !== '#' && line[m] !== '\r') start = i + m;
    }
    i = end + 1;
  }
  return start;
}

function hasNullKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasNullKey);
  if (v === null || typeof v !== 'object') return false;
  return Object.entries(v).some(([k, x]) => k === 'null' || hasNullKey(x));
}

/** The file's one document as `yaml` would give it, or undefined to let `yaml` parse it. */
export function fastParse(text: string): FastDocument | undefined {
  if (/[&*!]|<</.test(text)) return undefined;
  const start = contentStart(text);
  if (start === undefined) return undefined;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: CORE });
  } catch {
    return undefined;
  }
  const value = docs[0];
  if (docs.length !== 1 || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (hasNullKey(value) || stringProblems(value).length > 0) return undefined;
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < start; k = text.indexOf('\n', k + 1)) line++;
  return { index: 0, value, line, start };
}
