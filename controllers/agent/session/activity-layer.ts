// Writes agentctl's Claude Code settings layer for a new incarnation and puts `--settings FILE` in its argv.
//
// The files go to the run folder of the machine the agent runs on (this one, or a Host's), so
// Claude Code's hooks append to a file the observer reads there. The scripts are shared by every
// incarnation in the folder; settings, events, status (and the user's status line command) are
// the incarnation's own, named for its id: a late hook of the incarnation before writes to its
// own file, never to this one's.
import { randomBytes } from 'node:crypto';
import { HOOK_SCRIPT, STATUS_SCRIPT } from '../../../src/claude/activity/hook-script.js';
import { PERMISSION_SCRIPT } from '../../../src/claude/permission/permission-script.js';
import {
  incarnationFiles,
  settingsLayer,
  userStatusLineOf,
  withSettingsArg,
} from '../../../src/claude/activity/settings-layer.js';
import type { HostFiles } from '../../../src/exec/executor.js';
import { localFiles } from '../../../src/exec/local.js';
import type { ClaudeRecord } from '../../../src/registry/session-record.js';
import type { StartRequest } from '../../../src/runtime/types.js';
import type { DesiredAgent } from '../../../src/spec/load.js';
import type { AgentDeps } from '../deps.js';

export type HooksRecord = NonNullable<ClaudeRecord['hooks']>;

/** The run folder for activity files on a machine whose agentctl state lives at `stateBase`. */
export const activityDir = (stateBase: string): string => `${stateBase}/run/claude`;

/** Prepares the layer and rewrites `req.argv`; returns what the record keeps of it. Only for
 * `claude` agents; never fails the start (without it, activity is Unknown and Ready falls back to
 * the screen, as for a Claude Code that runs no hooks). */
export async function prepareActivityLayer(
  deps: AgentDeps,
  d: DesiredAgent,
  req: StartRequest,
  machine?: { files: HostFiles; home: string },
): Promise<HooksRecord | undefined> {
  // Hosts: their hook lines are not read from here yet; without a reader the layer would only hold Ready back.
  if (!d.spec.claude || machine) return undefined;
  const files = localFiles;
  const dir = activityDir(deps.identity.stateDir);
  const incarnation = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const f = incarnationFiles(dir, d.name, incarnation);
  try {
    const home = req.env.HOME ?? deps.identity.home;
    const mine = await files.read([
      `${req.workdir}/.claude/settings.local.json`,
      `${req.workdir}/.claude/settings.json`,
      `${home}/.claude/settings.json`,
    ]);
    const user = userStatusLineOf([...mine.values()].map((c) => c.text));
    await files.mkdir(dir, 0o700);
    await sweepOld(files, dir, d.name);
    await files.write(
      [
        { path: f.hookScript, content: HOOK_SCRIPT, mode: 0o644 },
        { path: f.statusScript, content: STATUS_SCRIPT, mode: 0o644 },
        { path: f.permissionScript, content: PERMISSION_SCRIPT, mode: 0o644 },
        {
          path: f.settings,
          content: JSON.stringify(settingsLayer({ files: f, incarnation, userStatusLine: user })),
          mode: 0o600,
        },
        ...(user?.command ? [{ path: f.userStatusLine, content: `${user.command}\n`, mode: 0o600 }] : []),
      ],
      { durable: false },
    );
  } catch (err) {
    deps.log.warn({ agent: d.name, error: (err as Error).message }, 'cannot write the Claude Code settings layer');
    return undefined;
  }
  req.argv = withSettingsArg(req.argv, f.settings);
  return { incarnation, handle: null, events: f.events, status: f.status };
}

/** Files of the agent's earlier incarnations (the last one's events stay for describe/debugging
 * until the next start). */
async function sweepOld(files: HostFiles, dir: string, agent: string): Promise<void> {
  const prefix = `${agent}.`;
  const old = (await files.list(dir)).filter(
    (n) =>
      n.startsWith(prefix) && /^[a-z0-9]+\.(settings\.json|events|status|statusline)$/.test(n.slice(prefix.length)),
  );
  if (old.length > 0) await files.remove(old.map((n) => `${dir}/${n}`));
}
