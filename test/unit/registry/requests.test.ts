// Request files on a real file system: bounded, regular files only; a bad one is reported and removable,
// and nothing in the requests folder can hang or crash the loop that reads it.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRequests, removeRequest, requestsDir, writeRequest } from '../../../src/registry/requests.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'agentctl-requests-'));
  dirs.push(d);
  return join(d, 'state');
}
const req = { type: 'restart' as const, names: ['a'], stop: false, at: 1, from: 'test' };

describe('readRequests', () => {
  it('a FIFO, a device, a folder or a huge file named *.json is an unreadable request, at once', async () => {
    const state = stateDir();
    await writeRequest(state, req);
    const dir = requestsDir(state);
    execFileSync('mkfifo', [join(dir, '2-fifo.json')]);
    symlinkSync('/dev/zero', join(dir, '3-zero.json'));
    mkdirSync(join(dir, '4-dir.json'));
    writeFileSync(join(dir, '5-big.json'), `{"type":"restart","names":["${'a'.repeat(100 * 1024)}"],"at":1}`);
    const got = await readRequests(state);
    expect(got.map((p) => [p.file.slice(dir.length + 1), p.request ? 'ok' : p.error])).toEqual([
      [got[0]!.file.slice(dir.length + 1), 'ok'],
      ['2-fifo.json', 'not a regular file (a FIFO)'],
      ['3-zero.json', 'not a regular file (a character device)'],
      ['4-dir.json', 'not a regular file (a directory)'],
      ['5-big.json', 'file is larger than 64 KB'],
    ]);
  }, 10_000);

  it('a requests "folder" that is a file reads as no requests', async () => {
    const state = stateDir();
    mkdirSync(state, { recursive: true });
    writeFileSync(requestsDir(state), 'not a folder');
    expect(await readRequests(state)).toEqual([]);
  });
});

describe('removeRequest', () => {
  it('removes any bad entry, a folder too, and reports instead of throwing when it cannot', async () => {
    const state = stateDir();
    await writeRequest(state, req);
    const dir = requestsDir(state);
    mkdirSync(join(dir, 'x.json'));
    execFileSync('mkfifo', [join(dir, 'f.json')]);
    expect(await removeRequest(join(dir, 'x.json'))).toBeUndefined();
    expect(await removeRequest(join(dir, 'f.json'))).toBeUndefined();
    expect(existsSync(join(dir, 'x.json')) || existsSync(join(dir, 'f.json'))).toBe(false);
    writeFileSync(join(dir, 'stuck.json'), '{');
    execFileSync('chattr', ['+i', dir]);
    try {
      expect(await removeRequest(join(dir, 'stuck.json'))).toBe('EPERM');
    } finally {
      execFileSync('chattr', ['-i', dir]);
    }
  });
});

describe('writeRequest', () => {
  it('writes 0600 files into a 0700 folder', async () => {
    const state = stateDir();
    const file = await writeRequest(state, req);
    expect([statSync(requestsDir(state)).mode & 0o777, statSync(file).mode & 0o777]).toEqual([0o700, 0o600]);
  });
});
