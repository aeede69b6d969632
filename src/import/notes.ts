// The comments a conversion leaves in its output: what changed on the way, and what did not map.
import { isSecretKey, REDACTED } from '../spec/secrets.js';

export interface Note {
  text: string;
  /** Path of the output field the note is written above; none: the top of the document. */
  target?: readonly string[];
}

const VALUE_CHARS = 80;

export class Notes {
  readonly items: Note[] = [];

  add(text: string, target?: readonly string[]): void {
    this.items.push(target ? { text, target } : { text });
  }

  /** `not mapped: <old path>: <value>`, at the top where a reader looks first. */
  notMapped(path: string, value: unknown, why?: string): void {
    this.add(`not mapped: ${path}: ${renderValue(path, value)}${why ? ` (${why})` : ''}`);
  }
}

/** One line of compact JSON, shortened; values under secret-looking keys are not repeated. */
export function renderValue(path: string, value: unknown): string {
  const last =
    path
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? '';
  if (isSecretKey(last) && value !== null && typeof value !== 'object') return REDACTED;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > VALUE_CHARS ? `${json.slice(0, VALUE_CHARS - 1)}…` : json;
}
