// Parses YAML text into documents that remember where each value came from (line:col by field path).
import { createRequire } from 'node:module';
import type { Document, LineCounter as YamlLineCounter, Node } from 'yaml';
import { formatPath, type PathSegment, type SpecError } from './errors.js';
import { stringProblems } from './string-checks.js';
import { fastParse } from './yaml-fast.js';

// `yaml` (positions, and the error messages users see) is loaded only for a file the fast path
// declines or an error to locate: a folder of plain specs never needs it.
const require = createRequire(import.meta.url);
let lib: typeof import('yaml') | undefined;
const yamlLib = (): typeof import('yaml') => (lib ??= require('yaml') as typeof import('yaml'));

export interface Position {
  line: number;
  col: number;
}

export interface SourceDocument {
  file: string;
  /** 0-based index of the document within its file. */
  index: number;
  /** Plain JSON value of the document (null for an empty document). */
  value: unknown;
  /** For a document with syntax errors, whatever the parser recovered (null when nothing): read
   * only to learn which agents a broken file held, never applied. */
  partial?: unknown;
  /** Line where the document starts. */
  line: number;
  /** Position of the value at `path`, or of its nearest existing ancestor. When `key` is given
   * and the node at `path` is a map holding that key, the key's own position. */
  locate(path: readonly PathSegment[], key?: string): Position;
}

export interface ParsedFile {
  file: string;
  documents: SourceDocument[];
  /** YAML syntax errors; when non-empty the file is unusable as a whole. */
  errors: SpecError[];
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function nodeAt(doc: Document, path: readonly PathSegment[]): { node: Node | null; depth: number } {
  const { isMap, isSeq } = yamlLib();
  let node: unknown = doc.contents;
  let depth = 0;
  for (const seg of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as { value?: unknown } | null;
        return k !== null && typeof k === 'object' && String(k.value) === String(seg);
      });
      next = pair?.value ?? (pair ? pair.key : undefined);
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined || next === null) break;
    node = next;
    depth++;
  }
  return { node: (node as Node | null) ?? null, depth };
}

/** What parsing yields, as plain data (it can be cached on disk): values, not positions. */
export interface ParsedValues {
  documents: { index: number; value: unknown; partial?: unknown; line: number; start: number }[];
  errors: SpecError[];
}

/** The expensive part: YAML text to plain values, with syntax errors located. */
export function parseYamlValues(file: string, text: string): ParsedValues {
  const fast = fastParse(text);
  return fast ? { documents: [fast], errors: [] } : parseWithYaml(file, text);
}

/** parseYamlValues through `yaml` alone: what the fast path must always agree with. */
export function parseWithYaml(file: string, text: string): ParsedValues {
  const { isMap, LineCounter, parseAllDocuments } = yamlLib();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const errors: SpecError[] = [];
  const documents: ParsedValues['documents'] = [];
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  list.forEach((doc, index) => {
    for (const e of doc.errors) {
      const p = e.linePos?.[0] ?? pos(e.pos[0]);
      errors.push({ file, line: p.line, col: p.col, path: '', message: `YAML: ${firstLine(e.message)}` });
    }
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    let value: unknown = null;
    let partial: unknown = null;
    if (doc.errors.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: 1000 }) ?? null;
        for (const p of stringProblems(value)) {
          const { node, depth } = nodeAt(doc, p.inKey ? p.path.slice(0, -1) : p.path);
          const keyNode =
            p.inKey && depth === p.path.length - 1 && isMap(node)
              ? node.items.find((i) => String((i.key as { value?: unknown } | null)?.value) === p.path.at(-1))?.key
              : undefined;
          const at = pos(((keyNode as Node | undefined)?.range ?? node?.range ?? [start])[0]);
          errors.push({ file, line: at.line, col: at.col, path: formatPath(p.path), message: p.message });
        }
      } catch (err) {
        const p = pos(start);
        errors.push({ file, line: p.line, col: p.col, path: '', message: `YAML: ${(err as Error).message}` });
      }
    } else {
      try {
        partial = doc.toJS({ maxAliasCount: 1000 }) ?? null;
      } catch {
        /* nothing recoverable */
      }
    }
    documents.push({ index, value, ...(partial !== null ? { partial } : {}), line: pos(start).line, start });
  });
  // A trailing `---` leaves an empty document: not an error, and not an agent.
  return { documents: documents.filter((d) => d.value !== null || errors.length > 0), errors };
}

/**
 * Gives parsed values their `locate`. Positions are needed only to report an error, which is
 * rare: the parsed Documents (many times the size of the text) are not kept, and the text is
 * parsed again on the first lookup. 10,000 spec files in memory stay a few MB.
 */
export function withLocators(file: string, text: string, v: ParsedValues): ParsedFile {
  let again: { docs: Document[]; lc: YamlLineCounter } | undefined;
  const locator =
    (index: number, start: number) =>
    (path: readonly PathSegment[], key?: string): Position => {
      const { isMap, LineCounter, parseAllDocuments } = yamlLib();
      if (!again) {
        const lc = new LineCounter();
        const d = parseAllDocuments(text, { lineCounter: lc, merge: true });
        again = { docs: Array.isArray(d) ? d : [d], lc };
      }
      const { docs, lc } = again;
      const at = (offset: number): Position => {
        const p = lc.linePos(offset);
        return { line: p.line, col: p.col };
      };
      const doc = docs[index];
      if (!doc) return at(start);
      const { node, depth } = nodeAt(doc, path);
      if (key !== undefined && depth === path.length && isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === key);
        const range = (pair?.key as Node | undefined)?.range;
        if (range) return at(range[0]);
      }
      const range = node?.range;
      return range ? at(range[0]) : at(start);
    };
  return {
    file,
    documents: v.documents.map((d) => ({
      file,
      index: d.index,
      value: d.value,
      ...(d.partial !== undefined ? { partial: d.partial } : {}),
      line: d.line,
      locate: locator(d.index, d.start),
    })),
    errors: v.errors,
  };
}

export function parseYaml(file: string, text: string): ParsedFile {
  return withLocators(file, text, parseYamlValues(file, text));
}

export { formatPath };
