// Turns a spec hook entry into one normalised form with its timeout and short description (pure).
import type { HookEntry } from '../spec/schema.js';

export const DEFAULT_PROCESS_TIMEOUT_SECONDS = 30;
export const DEFAULT_URL_TIMEOUT_SECONDS = 5;
const SHELL_PREVIEW_CHARS = 40;

export type NormalisedEntry =
  | { kind: 'process'; file: string; args: string[]; timeoutMs: number; describe: string }
  | { kind: 'url'; url: string; host: string; timeoutMs: number; describe: string };

/** The user wrote shell strings, so they (and only they) go through `sh -c`. */
export function normaliseEntry(e: HookEntry): NormalisedEntry {
  if (typeof e === 'string') return shellEntry(e, undefined);
  if ('shell' in e) return shellEntry(e.shell, e.timeoutSeconds);
  if ('exec' in e) {
    const [file = '', ...args] = e.exec;
    return {
      kind: 'process',
      file,
      args,
      timeoutMs: toMs(e.timeoutSeconds, DEFAULT_PROCESS_TIMEOUT_SECONDS),
      describe: `exec: ${file}`,
    };
  }
  const host = hostOf(e.url);
  return {
    kind: 'url',
    url: e.url,
    host,
    timeoutMs: toMs(e.timeoutSeconds, DEFAULT_URL_TIMEOUT_SECONDS),
    describe: `url: ${host}`,
  };
}

function shellEntry(script: string, timeoutSeconds: number | undefined): NormalisedEntry {
  const oneLine = script.replace(/\s+/g, ' ').trim();
  const preview = oneLine.length > SHELL_PREVIEW_CHARS ? `${oneLine.slice(0, SHELL_PREVIEW_CHARS)}…` : oneLine;
  return {
    kind: 'process',
    file: 'sh',
    args: ['-c', script],
    timeoutMs: toMs(timeoutSeconds, DEFAULT_PROCESS_TIMEOUT_SECONDS),
    describe: `sh: ${preview}`,
  };
}

function toMs(seconds: number | undefined, fallback: number): number {
  return Math.max(1, Math.round((seconds ?? fallback) * 1000));
}

/** Only the host is shown: paths and query strings of webhook URLs often carry tokens. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}
