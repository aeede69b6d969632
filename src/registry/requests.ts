// Requests from the command line (restart, suspend, resume): files in <state>/requests (the agent controller applies them).
import { randomBytes } from 'node:crypto';
import { lstat, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { readBounded } from '../util/bounded-read.js';
import { ensurePrivateDir } from '../util/ensure-dir.js';

/** A request names a few agents; anything larger is not one agentctl wrote. */
const MAX_REQUEST_BYTES = 64 * 1024;

export const RequestType = z.enum(['restart', 'suspend', 'resume']);
export type RequestType = z.infer<typeof RequestType>;

export const AgentRequest = z.object({
  type: RequestType,
  names: z.array(z.string()).min(1),
  stop: z.boolean().default(false),
  /** Epoch milliseconds when it was asked for. */
  at: z.number(),
  /** Who asked: pid and user, for the events. */
  from: z.string().default(''),
});
export type AgentRequest = z.infer<typeof AgentRequest>;

export function requestsDir(stateDir: string): string {
  return join(stateDir, 'requests');
}

export async function writeRequest(stateDir: string, req: AgentRequest): Promise<string> {
  const dir = requestsDir(stateDir);
  await ensurePrivateDir(stateDir);
  await ensurePrivateDir(dir);
  const file = join(dir, `${req.at}-${randomBytes(4).toString('hex')}.json`);
  await writeFileAtomic(file, `${JSON.stringify(req)}\n`, { fsync: true, mode: 0o600 });
  return file;
}

export interface PendingRequest {
  file: string;
  request?: AgentRequest;
  error?: string;
}

/** Request files in the order they were made. Never throws and never blocks: a file that is not
 * a regular file, is over 64 KB, or is not a request comes back with its `error`, for the
 * caller to remove with a warning. */
export async function readRequests(stateDir: string): Promise<PendingRequest[]> {
  const dir = requestsDir(stateDir);
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return Promise.all(
    files.map(async (f) => {
      const file = join(dir, f);
      try {
        const text = (await readBounded(file, MAX_REQUEST_BYTES)).toString('utf8');
        return { file, request: AgentRequest.parse(JSON.parse(text)) };
      } catch (err) {
        return { file, error: (err as Error).message.split('\n')[0] ?? 'unreadable' };
      }
    }),
  );
}

/** Removes a request file (or whatever took its name: a folder, a FIFO). Returns the errno code
 * when it could not, instead of throwing: one stuck file must not stop the loop. */
export async function removeRequest(file: string): Promise<string | undefined> {
  try {
    // unlink for anything but a folder: rm reports a refused unlink as ENOTDIR.
    if ((await lstat(file)).isDirectory()) await rm(file, { recursive: true, force: true });
    else await unlink(file);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? undefined : code;
  }
}
