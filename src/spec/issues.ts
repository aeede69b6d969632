// Turns zod issues into spec errors located at the `file:line:col` of the layer that supplied the value (pure).
import type { z } from 'zod';
import { formatPath, type PathSegment, type SpecError } from './errors.js';
import type { SourceDocument } from './yaml-source.js';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Depth to which `path` exists in a plain value. */
function depthIn(value: unknown, path: readonly PathSegment[]): number {
  let cur: unknown = value;
  let depth = 0;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number' && seg < cur.length) cur = cur[seg];
    else if (isRecord(cur) && typeof seg === 'string' && seg in cur) cur = cur[seg];
    else break;
    depth++;
  }
  return depth;
}

/** Picks the source that supplied the value at `path`: the overlay over the agent's own file over
 * the defaults; a value missing everywhere is reported in the agent's own file. */
function locateIssue(layers: SourceDocument[], own: SourceDocument, path: PathSegment[], key?: string): SpecError {
  const full = key === undefined ? path : [...path, key];
  const supplier = [...layers].reverse().find((l) => depthIn(l.value, full) === full.length);
  const src =
    supplier ??
    (key !== undefined ? [...layers].reverse().find((l) => depthIn(l.value, path) === path.length) : undefined) ??
    own;
  const p = src.locate(path, key);
  return { file: src.file, line: p.line, col: p.col, path: formatPath(full), message: '' };
}

export function issueErrors(
  issues: z.core.$ZodIssue[],
  layers: SourceDocument[],
  own: SourceDocument,
  merged: unknown,
): SpecError[] {
  const out: SpecError[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ ...locateIssue(layers, own, path, key), message: 'unknown field' });
      }
    } else if (issue.code === 'invalid_union') {
      out.push({ ...locateIssue(layers, own, path), message: describeUnion(path) });
    } else if (issue.code === 'invalid_key' && path.length > 0) {
      // A bad record key (a files path, an env name) is reported at the key, not at its value.
      const where = locateIssue(layers, own, path.slice(0, -1), String(path.at(-1)));
      out.push({
        ...where,
        message: (issue.issues[0]?.message ?? issue.message).replace(/^Invalid (input|option): /, ''),
      });
    } else if (issue.code === 'invalid_type' && depthIn(merged, path) < path.length) {
      out.push({
        ...locateIssue(layers, own, path),
        message: `required field is missing (expected ${issue.expected})`,
      });
    } else {
      // A record key that fails its own check (spec.files paths) carries the reason one level down.
      const nested =
        issue.code === 'invalid_key' || issue.code === 'invalid_element' ? issue.issues[0]?.message : undefined;
      out.push({
        ...locateIssue(layers, own, path),
        message: (nested ?? issue.message).replace(/^Invalid (input|option): /, ''),
      });
    }
  }
  return out;
}

function describeUnion(path: PathSegment[]): string {
  const parent = path.at(-2);
  if (parent === 'preStart' || parent === 'postStart' || parent === 'preStop' || parent === 'postStop') {
    return 'a hook is a shell string, {shell: "..."}, {exec: [argv]} or {url: http(s)://...}, each with an optional timeoutSeconds';
  }
  if (path.at(-2) === 'env') return 'expected a string, number or boolean';
  return 'value does not match any allowed form';
}
