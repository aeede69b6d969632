// Finds an agent's pending permission requests in its run folder and hands the waiting hook agentctl's decision (node:fs).
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
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

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Resolves true once the hook has taken the decision (it renames it to `<id>.taken`), false when
 * it ended without (it gave up just before the decision came: the dialog is showing) or still
 * waits after `timeoutMs`. A request file that is gone is not enough: the hook removes it also
 * when it gives up. */
export async function decisionTaken(r: PendingRequest, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const taken = join(r.dir, `${r.id}.taken`);
  for (;;) {
    if (await exists(taken)) {
      await unlink(taken).catch(() => undefined);
      return true;
    }
    // The hook renames the decision before it exits and removes the request at exit: a request
    // gone with no `.taken` beside it was never taken.
    const waiting = (await exists(join(r.dir, `${r.id}.request`))) && alive(r.pid);
    if (!waiting || Date.now() > deadline) {
      if (!(await exists(taken))) return false;
      await unlink(taken).catch(() => undefined);
      return true;
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}
