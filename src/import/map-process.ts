// Maps what the agent's process runs with: spec.workdir, spec.env, spec.env-file, spec.command.
import { posix } from 'node:path';
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
    else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      notes.notMapped(path, value, 'not a scalar');
    else {
      out[key] = value;
      if (isSecretKey(key))
        notes.add(`${key} looks like a secret: move it to a file listed in spec.envFiles, out of git`, [
          'spec',
          'env',
          key,
        ]);
      // The older tool expanded these when it started the agent; agentctl passes values as written.
      else if (typeof value === 'string' && (/\$\{\w+\}/.test(value) || value.startsWith('~'))) {
        notes.add(`${key}: the older tool expanded \${VAR} and ~ in env values; agentctl passes them as written`, [
          'spec',
          'env',
          key,
        ]);
      }
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

/** spec.env-file: one path or a list. The older tool resolved relative paths against the
 * workdir; agentctl wants them absolute (or ~/), so they are joined to the workdir here. */
export function mapEnvFiles(old: unknown, workdir: string | undefined, notes: Notes): string[] | undefined {
  const items = typeof old === 'string' ? [old] : isStringList(old) ? old : undefined;
  if (items === undefined) {
    notes.notMapped('spec.env-file', old, 'a path or a list of paths');
    return undefined;
  }
  const out: string[] = [];
  for (const [i, path] of items.entries()) {
    const at = typeof old === 'string' ? 'spec.env-file' : child('spec.env-file', i);
    if (path.startsWith('/') || path === '~' || path.startsWith('~/')) out.push(path);
    else if (path !== '' && workdir !== undefined) {
      const joined = posix.join(workdir, path);
      out.push(joined);
      notes.add(`env-file ${path} was relative to the workdir: now ${joined}`, ['spec', 'envFiles']);
    } else notes.notMapped(at, path, 'relative to a workdir that is not set');
  }
  return out.length > 0 ? out : undefined;
}
