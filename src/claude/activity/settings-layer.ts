// agentctl's own Claude Code settings layer for one incarnation: hooks and a status line that record activity (pure).
//
// Claude Code merges `--settings FILE` with the user's own settings: hooks from every source all
// run, so the user's hooks keep working beside these. A status line is one value, and the command
// line's wins over the user's, so agentctl's status line runs the user's own command (read from
// their settings when the incarnation is made) and prints what it prints.
import { shQuote } from '../../exec/shell-quote.js';
import { DEFAULT_EVENTS_CAP_BYTES } from './hook-script.js';
import { permissionHookEntry } from '../permission/permission-script.js';

/** The hook events agentctl listens to (DESIGN §10.2), plus PostToolUse: the only sign that a
 * granted permission let the turn go on before it ends. */
export const ACTIVITY_HOOKS = [
  'SessionStart',
  'UserPromptSubmit',
  'Notification',
  'PostToolUse',
  'Stop',
  'PreCompact',
  'SessionEnd',
] as const;
export type ActivityHook = (typeof ACTIVITY_HOOKS)[number];

/** Where one incarnation's files are (absolute paths on the agent's machine). */
export interface IncarnationFiles {
  /** The folder; the scripts are shared by every incarnation in it. */
  dir: string;
  settings: string;
  events: string;
  status: string;
  /** The user's own status line command, copied here when they have one. */
  userStatusLine: string;
  hookScript: string;
  statusScript: string;
  /** agentctl's PermissionRequest hook (DESIGN §10.3) and the folder of its requests and decisions. */
  permissionScript: string;
  permissions: string;
}

/** An incarnation's files: `<dir>/<agent>.<incarnation>.{settings.json,events,status,statusline}`. */
export function incarnationFiles(dir: string, agent: string, incarnation: string): IncarnationFiles {
  const base = `${dir}/${agent}.${incarnation}`;
  return {
    dir,
    settings: `${base}.settings.json`,
    events: `${base}.events`,
    status: `${base}.status`,
    userStatusLine: `${base}.statusline`,
    hookScript: `${dir}/agentctl-hook.sh`,
    statusScript: `${dir}/agentctl-status.sh`,
    permissionScript: `${dir}/agentctl-permission.sh`,
    permissions: `${base}.perm`,
  };
}

/** The user's statusLine setting as Claude Code documents it. */
export interface UserStatusLine {
  type?: string;
  command?: string;
  padding?: number;
}

export interface SettingsLayerInput {
  files: IncarnationFiles;
  incarnation: string;
  /** The user's own status line (from their settings), if any. */
  userStatusLine?: UserStatusLine | undefined;
  capBytes?: number;
}

/** The JSON of the settings file. */
export function settingsLayer(i: SettingsLayerInput): Record<string, unknown> {
  const f = i.files;
  const cap = String(i.capBytes ?? DEFAULT_EVENTS_CAP_BYTES);
  const hook = ['sh', f.hookScript, f.events, i.incarnation, cap].map(shQuote).join(' ');
  const hooks: Record<string, unknown> = {};
  for (const name of ACTIVITY_HOOKS) hooks[name] = [{ hooks: [{ type: 'command', command: hook, timeout: 10 }] }];
  hooks.PermissionRequest = [permissionHookEntry(f.permissionScript, f.events, i.incarnation, f.permissions)];
  const user = i.userStatusLine?.command ? i.userStatusLine : undefined;
  const status = ['sh', f.statusScript, f.status, i.incarnation, ...(user ? [f.userStatusLine] : [])]
    .map(shQuote)
    .join(' ');
  return {
    hooks,
    statusLine: { type: 'command', command: status, ...(user?.padding !== undefined ? { padding: user.padding } : {}) },
  };
}

/** The user's status line from their settings files, highest precedence first (local project,
 * project, user): the first that sets one wins, as in Claude Code. Unparsable files are skipped. */
export function userStatusLineOf(settingsTexts: readonly (string | undefined)[]): UserStatusLine | undefined {
  for (const text of settingsTexts) {
    if (!text) continue;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      continue;
    }
    const s = (v as { statusLine?: unknown } | null)?.statusLine;
    if (s && typeof s === 'object' && typeof (s as UserStatusLine).command === 'string') return s;
  }
  return undefined;
}

/** The argv with `--settings FILE` right after the binary: before the variadic options at the end. */
export function withSettingsArg(argv: readonly string[], settingsFile: string): string[] {
  return [argv[0]!, '--settings', settingsFile, ...argv.slice(1)];
}
