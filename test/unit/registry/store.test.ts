// The registry store on a real file system: private modes, and unreadable entries that never block a load.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyRecord } from '../../../src/registry/record.js';
import { Registry } from '../../../src/registry/store.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'agentctl-store-'));
  dirs.push(d);
  return join(d, 'state');
}
const mode = (p: string): number => statSync(p).mode & 0o777;

describe('modes', () => {
  it('a new state dir and registry dir are 0700, records 0600', async () => {
    const state = stateDir();
    const reg = new Registry(state);
    await reg.save(emptyRecord('a', 'tmux', 'o', 1));
    expect([mode(state), mode(reg.dir), mode(reg.file('a'))]).toEqual([0o700, 0o700, 0o600]);
  });

  it('an existing world-readable state dir, registry dir and records are narrowed', async () => {
    const state = stateDir();
    const reg = new Registry(state);
    mkdirSync(reg.dir, { recursive: true });
    const rec = emptyRecord('old', 'tmux', 'o', 1);
    writeFileSync(reg.file('old'), `${JSON.stringify(rec, null, 2)}\n`, { mode: 0o644 });
    chmodSync(state, 0o755);
    chmodSync(reg.dir, 0o755);
    const fresh = new Registry(state);
    await fresh.save(emptyRecord('b', 'tmux', 'o', 1));
    expect([mode(state), mode(reg.dir), mode(reg.file('old')), mode(reg.file('b'))]).toEqual([
      0o700, 0o700, 0o600, 0o600,
    ]);
  });
});

describe('loading', () => {
  it('a FIFO or a huge file among the records is reported broken, without hanging the load', async () => {
    const state = stateDir();
    const reg = new Registry(state);
    await reg.save(emptyRecord('a', 'tmux', 'o', 1));
    execFileSync('mkfifo', [reg.file('fifo')]);
    writeFileSync(reg.file('big'), Buffer.alloc(5 * 1024 * 1024, 0x20));
    const { records, broken } = await new Registry(state).loadAll();
    expect([...records.keys()]).toEqual(['a']);
    expect(broken.map((b) => [b.file, b.message]).sort()).toEqual([
      [reg.file('big'), 'file is larger than 4 MB'],
      [reg.file('fifo'), 'not a regular file (a FIFO)'],
    ]);
    expect(await new Registry(state).load('fifo')).toBeUndefined();
  }, 10_000);
});
