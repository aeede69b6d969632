// Maps what the agent's process runs with: spec.workdir, spec.env, and a plain spec.command.
import { Argv, ENV_KEY_PATTERN } from '../spec/schema.js';
import { isSecretKey } from '../spec/secrets.js';
import type { Notes } from './notes.js';
import { child, isMap, isStringList } from './values.js';

/** agentctl wants absolute or ~/ paths: relative ones would move with each git-sync revision. */
export function mapWorkdir(old: unknown, notes: Notes): string | undefined {
  if (typeof old !== 'string' || old === '') {
    notes.notMapped('spec.workdir', old, 'not a path');
    return undefined;
  }
  const home = /^\$\{?HOME\}?(?=\/|$)/;
  if (home.test(old)) {
    const converted = old.replace(home, '~');
    notes.add(`workdir ${old} is written with ~ now`, ['spec', 'workdir']);
    return converted;
  }
  if (old.startsWith('/') || old === '~' || old.startsWith('~/')) return old;
  notes.notMapped('spec.workdir', old, 'must be absolute or start with ~/');
  return undefined;
}

export function mapEnv(old: unknown, notes: Notes): Record<string, string | number | boolean> | undefined {
  if (!isMap(old)) {
    notes.notMapped('spec.env', old, 'not a map');
    return undefined;
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(old)) {
    const path = child('spec.env', key);
    if (!ENV_KEY_PATTERN.test(key)) notes.notMapped(path, value, 'not a valid variable name');
    else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') notes.notMapped(path, value, 'not a scalar');
    else {
      out[key] = value;
      if (isSecretKey(key)) notes.add(`${key} looks like a secret: move it to a file listed in spec.envFiles, out of git`, ['spec', 'env', key]);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Not every agent of the old tool was Claude Code; a command keeps it what it was. */
export function mapCommand(old: unknown, notes: Notes): string[] | undefined {
  if (isStringList(old) && Argv.safeParse(old).success) return old;
  if (typeof old === 'string' && old.trim() !== '') {
    notes.add('the command was a shell string: it runs through sh -c', ['spec', 'command']);
    return ['sh', '-c', old];
  }
  notes.notMapped('spec.command', old, 'not a command');
  return undefined;
}
