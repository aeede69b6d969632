// Reads a systemd unit the way the user manager would for ExecStart and Environment= (enough for tests).
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface UnitExec {
  env: Record<string, string>;
  argv: string[];
  settings: Map<string, string[]>;
}

/** Splits a value into words: double quotes group, backslash escapes inside them. */
function words(value: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m;
  while ((m = re.exec(value))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

const specifiers = (s: string, home: string): string =>
  s.replace(/%(.)/g, (_, c: string) => (c === '%' ? '%' : c === 'h' ? home : `%${c}`));

export function readUnit(text: string, home: string): UnitExec {
  const settings = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) settings.set(m[1]!, [...(settings.get(m[1]!) ?? []), m[2]!]);
  }
  const env: Record<string, string> = {};
  for (const v of settings.get('Environment') ?? []) {
    for (const w of words(v)) {
      const at = w.indexOf('=');
      env[w.slice(0, at)] = specifiers(w.slice(at + 1), home);
    }
  }
  const exec = settings.get('ExecStart') ?? [];
  if (exec.length !== 1) throw new Error(`expected one ExecStart, got ${exec.length}`);
  const argv = words(exec[0]!).map((w) => specifiers(w, home).replaceAll('$$', '$'));
  return { env, argv, settings };
}

/** A folder holding everything /usr/bin has except node and npm: a PATH where node is missing. */
export function pathWithoutNode(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync('/usr/bin')) {
    if (/^(node|nodejs|npm|npx|corepack)$/.test(name)) continue;
    symlinkSync(join('/usr/bin', name), join(dir, name));
  }
  return dir;
}
