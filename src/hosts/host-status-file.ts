// What the controller last knew of each Host, kept in <state>/hosts/<name>.json for `agentctl get hosts`.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { readBounded } from '../util/bounded-read.js';
import { ensurePrivateDir } from '../util/ensure-dir.js';
import type { HostState } from './remote-host.js';

export const HostStatus = z.object({
  name: z.string(),
  reachable: z.boolean().nullable(),
  reason: z.string().optional(),
  fix: z.string().optional(),
  message: z.string().optional(),
  latencyMs: z.number().optional(),
  tmuxVersion: z.string().optional(),
  checks: z
    .array(z.object({ name: z.string(), ok: z.boolean(), message: z.string(), fix: z.string().optional() }))
    .default([]),
  changedAt: z.number(),
  checkedAt: z.number(),
});
export type HostStatus = z.infer<typeof HostStatus>;

const MAX_BYTES = 256 * 1024;
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const hostStatusDir = (stateDir: string): string => join(stateDir, 'hosts');

export async function writeHostStatus(stateDir: string, s: HostState): Promise<void> {
  if (!NAME.test(s.name)) return;
  const dir = hostStatusDir(stateDir);
  await ensurePrivateDir(stateDir);
  await ensurePrivateDir(dir);
  await writeFileAtomic(join(dir, `${s.name}.json`), `${JSON.stringify(HostStatus.parse(s))}\n`, {
    mode: 0o600,
    fsync: false,
  });
}

/** Every readable status file, by host name; unreadable ones are left out. */
export async function readHostStatuses(stateDir: string): Promise<Map<string, HostStatus>> {
  const out = new Map<string, HostStatus>();
  let files: string[];
  try {
    files = (await readdir(hostStatusDir(stateDir))).filter((f) => f.endsWith('.json'));
  } catch {
    return out;
  }
  for (const f of files) {
    try {
      const parsed = HostStatus.safeParse(
        JSON.parse((await readBounded(join(hostStatusDir(stateDir), f), MAX_BYTES)).toString('utf8')),
      );
      if (parsed.success) out.set(parsed.data.name, parsed.data);
    } catch {
      /* unreadable: left out */
    }
  }
  return out;
}
