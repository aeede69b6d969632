// A registry write that fails is an error the caller sees (path and cause), on a real immutable file,
// a real immutable folder, and a real full tmpfs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyRecord } from '../../../src/registry/record.js';
import { Registry, RegistryWriteError } from '../../../src/registry/store.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
const immutable: string[] = [];
afterEach(() => {
  for (const p of immutable.splice(0)) execFileSync('chattr', ['-i', p]);
  for (const d of dirs.splice(0)) removeTree(d);
});
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'agentctl-regfail-'));
  dirs.push(d);
  return join(d, 'state');
}
function chattrImmutable(p: string): void {
  execFileSync('chattr', ['+i', p]);
  immutable.push(p);
}
async function writeError(p: Promise<unknown>): Promise<RegistryWriteError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RegistryWriteError);
  return err as RegistryWriteError;
}

describe('failed writes are errors with the path and the cause', () => {
  it('an immutable record (chattr +i): save throws, and a later save of the same record tries again', async () => {
    const reg = new Registry(stateDir());
    const rec = emptyRecord('a1', 'tmux', 'o', 1);
    await reg.save(rec);
    chattrImmutable(reg.file('a1'));
    const changed = { ...rec, message: 'edited' };
    const e = await writeError(reg.save(changed));
    expect(e.path).toBe(reg.file('a1'));
    expect(e.code).toBe('EPERM');
    expect(e.message).toBe(`cannot write ${reg.file('a1')}: EPERM`);
    execFileSync('chattr', ['-i', reg.file('a1')]);
    immutable.splice(0);
    await reg.save(changed);
    expect((await new Registry(reg.dir.replace(/\/registry$/, '')).load('a1'))?.message).toBe('edited');
  });

  it('an immutable registry folder: save of a new record and remove both throw', async () => {
    const reg = new Registry(stateDir());
    await reg.save(emptyRecord('a1', 'tmux', 'o', 1));
    chattrImmutable(reg.dir);
    expect((await writeError(reg.save(emptyRecord('a2', 'tmux', 'o', 1)))).path).toBe(reg.file('a2'));
    const r = await writeError(reg.remove('a1'));
    expect([r.path, r.code]).toEqual([reg.file('a1'), 'EPERM']);
  });

  it('a state dir that cannot be created is a RegistryWriteError too', async () => {
    const d = stateDir();
    mkdirSync(join(d, '..'), { recursive: true });
    writeFileSync(d, 'a file where the state dir belongs');
    const e = await writeError(new Registry(d).save(emptyRecord('a1', 'tmux', 'o', 1)));
    expect(e.code).toBe('ENOTDIR');
  });
});

describe('a full disk', () => {
  let mnt: string;
  beforeAll(() => {
    mnt = mkdtempSync(join(tmpdir(), 'agentctl-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  });
  afterAll(() => {
    execFileSync('umount', [mnt]);
    removeTree(mnt);
  });

  it('save on a full tmpfs throws ENOSPC and leaves the old record whole', async () => {
    const reg = new Registry(join(mnt, 'state'));
    const rec = emptyRecord('a1', 'tmux', 'o', 1);
    await reg.save(rec);
    // Fill what is left, block by block, until the file system refuses.
    try {
      writeFileSync(join(mnt, 'filler'), Buffer.alloc(2 * 1024 * 1024));
    } catch {
      /* ENOSPC: full, which is the point */
    }
    const e = await writeError(reg.save({ ...rec, message: 'x'.repeat(64 * 1024) }));
    expect([e.path, e.code]).toEqual([reg.file('a1'), 'ENOSPC']);
    expect((await new Registry(join(mnt, 'state')).load('a1'))?.message).toBe('');
  });
});
