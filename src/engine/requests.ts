// Requests from the command line (restart, suspend, resume): files in <state>/requests, applied to records.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { withEvent, type AgentRecord } from '../registry/record.js';

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
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${req.at}-${randomBytes(4).toString('hex')}.json`);
  await writeFileAtomic(file, `${JSON.stringify(req)}\n`, { fsync: true });
  return file;
}

export interface PendingRequest {
  file: string;
  request?: AgentRequest;
  error?: string;
}

/** Request files in the order they were made. */
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
        return { file, request: AgentRequest.parse(JSON.parse(await readFile(file, 'utf8'))) };
      } catch (err) {
        return { file, error: (err as Error).message.split('\n')[0] ?? 'unreadable' };
      }
    }),
  );
}

export async function removeRequest(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** The record after a request (pure). */
export function applyRequest(rec: AgentRecord, req: AgentRequest): AgentRecord {
  const time = new Date(req.at).toISOString();
  const who = req.from ? ` by ${req.from}` : '';
  switch (req.type) {
    case 'restart':
      return { ...rec, restartRequestedAt: req.at, events: withEvent(rec.events, { time, type: 'Normal', reason: 'RestartRequested', message: `restart requested${who}` }) };
    case 'suspend':
      return {
        ...rec,
        suspended: true,
        suspendStop: req.stop,
        events: withEvent(rec.events, { time, type: 'Normal', reason: 'Suspended', message: `reconciling suspended${req.stop ? ' (and stopped)' : ''}${who}` }),
      };
    case 'resume':
      return { ...rec, suspended: false, suspendStop: false, events: withEvent(rec.events, { time, type: 'Normal', reason: 'Resumed', message: `reconciling resumed${who}` }) };
  }
}
