// observeSessions: which exit files an observation reads, and what a dead pane's exit becomes.
import { describe, expect, it } from 'vitest';
import type { Executor, FileContent, HostFiles } from '../../../../src/exec/executor.js';
import { ExitFiles } from '../../../../src/runtime/exit-files.js';
import { TmuxClient } from '../../../../src/runtime/tmux/client.js';
import type { SessionRow } from '../../../../src/runtime/tmux/commands.js';
import { observeSessions } from '../../../../src/runtime/tmux/observe.js';

const OWNER = 'me@host';
const DIR = '/run';

class Rows extends TmuxClient {
  constructor(private readonly rows: SessionRow[]) {
    super({} as Executor, 'test');
  }
  override listSessions(): Promise<SessionRow[]> {
    return Promise.resolve(this.rows);
  }
}

/** A run folder whose listing was taken before some files appeared (`late`), and every read made. */
function folder(
  listed: Record<string, string>,
  late: Record<string, string> = {},
): { files: HostFiles; reads: string[][] } {
  const reads: string[][] = [];
  const all = { ...listed, ...late };
  const files = {
    list: () => Promise.resolve(Object.keys(listed)),
    read: (paths: readonly string[]) => {
      reads.push([...paths]);
      const out = new Map<string, FileContent>();
      for (const p of paths) {
        const text = all[p.slice(DIR.length + 1)];
        if (text !== undefined) out.set(p, { text, mtimeMs: 5 });
      }
      return Promise.resolve(out);
    },
  } as unknown as HostFiles;
  return { files, reads };
}

const row = (over: Partial<SessionRow>): SessionRow => ({
  name: 'a',
  id: '$1',
  createdAt: 0,
  hash: 'h',
  owner: OWNER,
  token: 't1',
  pid: 10,
  dead: false,
  deadStatus: null,
  ...over,
});

describe('observeSessions', () => {
  it.each([
    // [case, row, files listed, files that appeared after the listing, exit code seen, files read]
    ['alive, no exit file: nothing read', row({}), {}, {}, undefined, 0],
    ["alive but its exit file is listed: exited, with the file's code", row({}), { 'a.t1.exit': '3\n' }, {}, 3, 1],
    [
      "dead with tmux's status and no file: tmux's status, nothing read",
      row({ dead: true, deadStatus: 2 }),
      {},
      {},
      2,
      0,
    ],
    [
      'dead before tmux has its status, file missed by the listing: read, its code',
      row({ dead: true }),
      {},
      { 'a.t1.exit': '1\n' },
      1,
      1,
    ],
    ['dead, no status, no file at all (the shell was killed): unknown', row({ dead: true }), {}, {}, null, 1],
    ['not ours, dead: never read', row({ owner: 'someone', dead: true }), {}, { 'a.t1.exit': '1\n' }, undefined, 0],
  ] as const)('%s', async (_, r, listed, late, code, nReads) => {
    const { files, reads } = folder(listed, late);
    const o = await observeSessions(new Rows([r]), new ExitFiles(files, DIR), OWNER);
    const a = o.agents.get('a')!;
    expect(a.exit?.code).toBe(code);
    expect(reads.flat()).toHaveLength(nReads);
  });
});
