// Finds strings in a parsed document that could not reach a process unchanged: NUL, lone surrogates (pure).
import type { PathSegment } from './errors.js';

export interface StringProblem {
  path: PathSegment[];
  /** The problem is in the key at `path`, not in its value. */
  inKey: boolean;
  message: string;
}

// A NUL ends a C string: argv, env and file names would be cut there.
const NUL = 'must not contain a NUL character';
// A lone surrogate is written out as U+FFFD: the process would get something no spec says.
const SURROGATE = 'is not valid Unicode (a lone UTF-16 surrogate)';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ANY_SURROGATE = /[\uD800-\uDFFF]/;

function problemOf(s: string): string | undefined {
  if (s.includes('\0')) return NUL;
  if (ANY_SURROGATE.test(s) && LONE_SURROGATE.test(s)) return SURROGATE;
  return undefined;
}

/** True when no string in the value has a problem (the common case, without building paths). */
function clean(value: unknown): boolean {
  if (typeof value === 'string') return problemOf(value) === undefined;
  if (Array.isArray(value)) return value.every(clean);
  if (value === null || typeof value !== 'object') return true;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    if (problemOf(k) !== undefined || !clean((value as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Every string (key or value) of a plain JSON-like value that fails the checks, with its path. */
export function stringProblems(value: unknown, path: PathSegment[] = [], out: StringProblem[] = []): StringProblem[] {
  if (path.length === 0 && clean(value)) return out;
  if (typeof value === 'string') {
    const message = problemOf(value);
    if (message) out.push({ path, inKey: false, message });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => stringProblems(v, [...path, i], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const message = problemOf(k);
      if (message) out.push({ path: [...path, k], inKey: true, message });
      else stringProblems(v, [...path, k], out);
    }
  }
  return out;
}
