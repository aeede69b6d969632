// Maps the old metadata (name, labels, annotations) and makes the name a valid agent name.
import { NAME_PATTERN } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { asText, child, isMap } from './values.js';

export interface NewMetadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Lowercase, anything else becomes `-`, trimmed to 63 characters and alphanumeric ends. */
export function sanitiseName(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'agent' : s;
}

/** `fallbackFrom` says where the fallback name comes from: the file, or (v3) its folder. */
export function mapMetadata(
  old: unknown,
  fallbackName: string,
  notes: Notes,
  fallbackFrom: 'file' | 'folder' = 'file',
): NewMetadata {
  const m = isMap(old) ? old : {};
  if (old !== undefined && !isMap(old)) notes.notMapped('metadata', old, 'not a map');
  const raw = asText(m.name);
  let name: string;
  if (raw === undefined) {
    name = sanitiseName(fallbackName);
    notes.add(`metadata.name is missing: named after the ${fallbackFrom} (${name})`, ['metadata', 'name']);
  } else if (NAME_PATTERN.test(raw)) {
    name = raw;
  } else {
    name = sanitiseName(raw);
    notes.add(`metadata.name ${JSON.stringify(raw)} is not a valid agent name: renamed to ${name}`, [
      'metadata',
      'name',
    ]);
  }
  const out: NewMetadata = { name };
  for (const [key, value] of Object.entries(m)) {
    if (key === 'name') continue;
    if (key === 'labels' || key === 'annotations') {
      const map = stringMap(value, child('metadata', key), notes);
      if (map) out[key] = map;
    } else notes.notMapped(child('metadata', key), value);
  }
  return out;
}

function stringMap(v: unknown, path: string, notes: Notes): Record<string, string> | undefined {
  if (!isMap(v)) {
    notes.notMapped(path, v, 'not a map');
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    const text = asText(value);
    if (text === undefined) notes.notMapped(child(path, k), value, 'not a string');
    else out[k] = text;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
