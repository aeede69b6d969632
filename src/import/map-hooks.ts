// Maps spec.hooks: shell strings stay shell strings, http(s) URLs become {url} entries.
//
// The older tool's hook lists held "opaque commands — shell strings or http(s) URLs": a URL was
// POSTed to, never run by a shell. Its hooks read SCITEX_AGENT_CONTAINER_NAME, _SCREEN_NAME and
// _CONFIG_PATH; agentctl provides those to the hooks of imported specs (see src/hooks/env.ts).
import { HookEntry, type HookName } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { child, isMap, isStringList, seconds, type OldMap } from './values.js';

const HOOK_NAMES: Record<string, HookName> = {
  pre_start: 'preStart',
  post_start: 'postStart',
  pre_stop: 'preStop',
  post_stop: 'postStop',
  on_compact: 'onCompact',
  on_restart: 'onRestart',
};

const URL = /^https?:\/\/\S+$/i;

export type NewHooks = Partial<Record<HookName, HookEntry[]>>;

export function mapHooks(old: unknown, notes: Notes): NewHooks | undefined {
  if (!isMap(old)) {
    notes.notMapped('spec.hooks', old, 'not a map');
    return undefined;
  }
  const out: NewHooks = {};
  for (const [key, value] of Object.entries(old)) {
    const name = HOOK_NAMES[key];
    const path = child('spec.hooks', key);
    if (name === undefined) {
      notes.notMapped(path, value, `the hooks that map are ${Object.keys(HOOK_NAMES).join(', ')}`);
      continue;
    }
    if (value === null) continue; // `pre_start:` left empty
    // The old tool took one command as a plain string as well as a list.
    const items = Array.isArray(value) ? value : [value];
    const entries = items.flatMap((item, i) => {
      const entry = mapEntry(item, Array.isArray(value) ? child(path, i) : path, notes);
      return entry === undefined ? [] : [entry];
    });
    if (entries.length > 0) out[name] = entries;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function mapEntry(item: unknown, path: string, notes: Notes): HookEntry | undefined {
  const entry = typeof item === 'string' ? fromString(item) : isMap(item) ? fromMap(item, path, notes) : undefined;
  const checked = entry === undefined ? undefined : HookEntry.safeParse(entry);
  if (checked?.success) return checked.data;
  notes.notMapped(
    path,
    item,
    checked ? checked.error.issues[0]?.message : 'a hook is a command string, {command}, {exec} or {url}',
  );
  return undefined;
}

/** A URL on its own is a webhook; anything else is a shell command. */
function fromString(item: string): HookEntry {
  const text = item.trim();
  return URL.test(text) ? { url: text } : item;
}

/** `{command|shell: "...", timeout}`, `{exec|argv: [...], timeout}`, `{url, timeout}`. */
function fromMap(m: OldMap, path: string, notes: Notes): HookEntry | undefined {
  const { timeout, timeout_seconds: timeoutSeconds, ...rest } = m;
  const rawTimeout = timeout ?? timeoutSeconds;
  const t = seconds(rawTimeout);
  if (rawTimeout !== undefined && t === undefined)
    notes.notMapped(child(path, 'timeout'), rawTimeout, 'not a duration');
  const withTimeout = t === undefined ? {} : { timeoutSeconds: t };
  const keys = Object.keys(rest);
  if (keys.length !== 1) return undefined;
  const key = keys[0] ?? '';
  const v = rest[key];
  if ((key === 'command' || key === 'shell') && typeof v === 'string')
    return t === undefined ? v : { shell: v, ...withTimeout };
  if ((key === 'exec' || key === 'argv') && isStringList(v)) return { exec: v, ...withTimeout };
  if (key === 'url' && typeof v === 'string') return { url: v, ...withTimeout };
  return undefined;
}
