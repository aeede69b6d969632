// Finds an agent's pending permission requests in its run folder and hands the waiting hook agentctl's decision (node:fs).
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decisionOutput, parseRequest, requestIdOf, type Decision, type PermissionRequest } from './requests.js';

/** The permission folders of every incarnation of `agent` under the activity folder. */
async function permDirs(activityDir: string, agent: string): Promise<string[]> {
  const names = await readdir(activityDir).catch(() => [] as string[]);
  const mine = new RegExp(`^${agent.replace(/[-.]/g, '\\$&')}\\.[a-z0-9]+\\.perm$`);
  return names.filter((n) => mine.test(n)).map((n) => join(activityDir, n));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface PendingRequest extends PermissionRequest {
  dir: string;
}

/** Requests whose hook still waits (its process lives), oldest first. A request left by a hook
 * that was killed is not pending: nothing would read a decision for it. */
export async function pendingRequests(activityDir: string, agent: string): Promise<PendingRequest[]> {
  const out: PendingRequest[] = [];
  for (const dir of await permDirs(activityDir, agent)) {
    for (const f of await readdir(dir).catch(() => [] as string[])) {
      const id = requestIdOf(f);
      if (!id) continue;
      const text = await readFile(join(dir, f), 'utf8').catch(() => undefined);
      const r = text === undefined ? undefined : parseRequest(id, text);
      if (r && alive(r.pid)) out.push({ ...r, dir });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** Writes the decision where the hook looks (atomically: the hook never reads half a file). */
export async function writeDecision(r: PendingRequest, d: Decision): Promise<void> {
  const tmp = join(r.dir, `.${r.id}.decision.tmp`);
  await writeFile(tmp, decisionOutput(d), { mode: 0o600 });
  await rename(tmp, join(r.dir, `${r.id}.decision`));
}

/** Resolves true once the hook has taken the decision (its request file is gone), false when it
 * is still there after `timeoutMs` (the hook gave up first: the dialog is showing). */
export async function decisionTaken(r: PendingRequest, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const there = await stat(join(r.dir, `${r.id}.request`)).then(
      () => true,
      () => false,
    );
    if (!there) return true;
    if (Date.now() > deadline || !alive(r.pid)) return !there;
    await new Promise((res) => setTimeout(res, 50));
  }
}
