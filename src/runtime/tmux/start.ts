// Starting tmux agents in one batch: launch files written, then one tmux client reading the batch from stdin.
import { randomBytes } from 'node:crypto';
import type { HostFiles } from '../../exec/executor.js';
import { agentOfFile, type ExitFiles } from '../exit-files.js';
import { RuntimeError, type BatchResult, type StartRequest } from '../types.js';
import type { TmuxClient } from './client.js';
import { duplicateSession } from './commands.js';
import { launchScript, serverSetupLines, sessionLine } from './launch.js';

export interface StartContext {
  client: TmuxClient;
  files: HostFiles;
  exits: ExitFiles;
  owner: string;
  /** The base of every agent's environment on that machine (DESIGN §9.5). */
  baseEnv: Record<string, string>;
}

const FD_HINT =
  ' (the tmux server may have run out of open files or ptys: each session needs a pty and a few file descriptors; raise `ulimit -n` for the service that runs agentctl)';
/** Launch files a crash left behind (written, never read by a session) are removed after this
 * long: a session reads its own within milliseconds of the batch that wrote it. */
const STALE_LAUNCH_MS = 60_000;

export const newToken = (): string => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** `tokens` names an incarnation's token in advance (an agent that waited for its allocation
 * keeps the handle it was given then); others get a new one. */
export async function startSessions(
  c: StartContext,
  requests: readonly StartRequest[],
  tokens: ReadonlyMap<string, string> = new Map(),
): Promise<BatchResult> {
  const result: BatchResult = new Map();
  if (requests.length === 0) return result;
  const dir = c.exits.dir;
  await c.exits.prepare();
  const listing = await c.exits.list();
  const names = new Set(requests.map((r) => r.name));
  await c.exits.clear(names, listing);
  // Launch files of earlier incarnations: emptied by their shells, left for whoever starts next.
  const emptied = listing.filter((f) => f.endsWith('.launch') && names.has(agentOfFile(f)));
  if (emptied.length > 0) await c.files.remove(emptied.map((f) => `${dir}/${f}`));
  await sweepLaunchFiles(c.files, dir, listing);
  const plans = requests.map((request) => {
    const token = tokens.get(request.name) ?? newToken();
    return {
      request,
      token,
      launchFile: `${dir}/${request.name}.${token}.launch`,
      exitFile: c.exits.path(request.name, token),
    };
  });
  // Secrets are in these files for the few milliseconds until each session's shell reads and
  // removes them: 0600 in a 0700 folder, never in an argv, a tmux option or its environment.
  await c.files.write(
    plans.map((p) => ({
      path: p.launchFile,
      content: launchScript({
        env: { ...c.baseEnv, ...p.request.env },
        workdir: p.request.workdir,
        argv: p.request.argv,
      }),
      mode: 0o600,
    })),
    { durable: false },
  );
  // One tmux client for the whole batch, reading its commands from stdin: argv length never
  // limits a batch. A failing line (duplicate session) does not stop the lines after it.
  const script = [
    ...serverSetupLines(dir),
    ...plans.map((p) =>
      sessionLine({
        name: p.request.name,
        token: p.token,
        owner: c.owner,
        hash: p.request.hash,
        launchFile: p.launchFile,
        exitFile: p.exitFile,
      }),
    ),
  ];
  const r = await c.client.run(['start-server', ';', 'source-file', '-'], {
    input: `${script.join('\n')}\n`,
    timeoutMs: 120_000,
  });
  if (r.exitCode === 0) {
    for (const p of plans) result.set(p.request.name, { handle: p.token });
    return result;
  }
  // Find out which sessions carry this start's token.
  const rows = new Map((await c.client.listSessions()).map((s) => [s.name, s]));
  const failed: string[] = [];
  for (const p of plans) {
    const landed = rows.get(p.request.name)?.token === p.token;
    if (!landed) failed.push(p.launchFile);
    result.set(
      p.request.name,
      landed ? { handle: p.token } : { error: startError(p.request.name, r.stderr, c.client.socket) },
    );
  }
  await c.files.remove(failed);
  return result;
}

/** A launch file's age is in its name (the token starts with a base-36 time), so no file holding
 * secrets is opened to find it; a batch running beside this one keeps its young files. */
export async function sweepLaunchFiles(files: HostFiles, dir: string, listing: readonly string[]): Promise<void> {
  const old = listing.filter((f) => {
    const m = /^[^.]+\.([0-9a-z]+)[0-9a-f]{6}\.launch$/.exec(f);
    return m !== null && Date.now() - parseInt(m[1]!, 36) > STALE_LAUNCH_MS;
  });
  if (old.length > 0) await files.remove(old.map((f) => `${dir}/${f}`));
}

export function startError(name: string, stderr: string, socket: string): RuntimeError {
  const lines = stderr.trim().split('\n');
  const msg = lines.find((l) => l.includes(` ${name}`) || l.endsWith(`:${name}`)) ?? lines[0] ?? '';
  if (duplicateSession(stderr) === name) {
    return new RuntimeError(`a tmux session named "${name}" already exists on socket ${socket} and is not ours`, {
      runtime: 'tmux',
      stderr,
    });
  }
  const hint = /fork failed|open files|Too many|pty|No space/i.test(msg) ? FD_HINT : '';
  return new RuntimeError(`tmux new-session failed: ${msg}${hint}`, { runtime: 'tmux', stderr });
}
