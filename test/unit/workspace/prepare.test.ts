// Preparing a start against the real file system: workdirs that cannot spin, envFiles read bounded,
// workspace files that never land outside the workdir.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredAgent } from '../../../src/spec/load.js';
import { AgentDocument } from '../../../src/spec/schema.js';
import { PrepareError, prepareStart } from '../../../src/workspace/prepare.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'agentctl-prepare-'));
  dirs.push(d);
  return d;
}

/** A desired agent built from a spec body as validation would (or, with `raw`, as it would not). */
function desired(spec: Record<string, unknown>): DesiredAgent {
  const document = AgentDocument.parse({
    apiVersion: 'agentctl/v1',
    kind: 'Agent',
    metadata: { name: 'a' },
    spec: { command: ['sleep', '60'], ...spec },
  });
  return { name: 'a', file: 'specs/a.yaml', line: 1, document, spec: document.spec, hash: 'h' };
}
/** Bypasses the schema's checks: the workspace code must be safe on its own. */
function unchecked(spec: Record<string, unknown>): DesiredAgent {
  const d = desired({});
  const s = { ...d.spec, ...spec };
  return { ...d, spec: s, document: { ...d.document, spec: s } };
}

async function prepareError(d: DesiredAgent, home: string): Promise<PrepareError> {
  const err = await prepareStart(d, home).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PrepareError);
  return err as PrepareError;
}

describe('workdir creation never spins', () => {
  it('a workdir under /proc fails at once (mkdir -p there never returns)', async () => {
    const e = await prepareError(unchecked({ workdir: '/proc/1/agentctl-x' }), tmp());
    expect(e.message).toBe('workdir /proc/1/agentctl-x cannot be created: it is under /proc, /sys or /dev');
  }, 10_000);

  it('a workdir reaching /proc through a symlink fails too', async () => {
    const d = tmp();
    symlinkSync('/proc/1', join(d, 'link'));
    const e = await prepareError(desired({ workdir: join(d, 'link', 'x', 'y') }), d);
    expect(e.message).toBe(`workdir ${join(d, 'link', 'x', 'y')} cannot be created: it is under /proc, /sys or /dev`);
  }, 10_000);

  it('a missing workdir is created, nested, and an existing file in its way is named', async () => {
    const d = tmp();
    const req = await prepareStart(desired({ workdir: join(d, 'a', 'b', 'c') }), d);
    expect(req.workdir).toBe(join(d, 'a', 'b', 'c'));
    expect(existsSync(join(d, 'a', 'b', 'c'))).toBe(true);
    writeFileSync(join(d, 'file'), '');
    const e = await prepareError(desired({ workdir: join(d, 'file', 'x') }), d);
    expect(e.message).toBe(`workdir ${join(d, 'file', 'x')} cannot be created (ENOTDIR)`);
  });
});

describe('envFiles are read bounded, and their content never appears in an error', () => {
  it('a FIFO fails at once instead of hanging the start', async () => {
    const d = tmp();
    execFileSync('mkfifo', [join(d, 'f.env')]);
    const e = await prepareError(desired({ workdir: d, envFiles: [join(d, 'f.env')] }), d);
    expect(e.message).toBe(`envFile ${join(d, 'f.env')} cannot be read: not a regular file (a FIFO)`);
  }, 10_000);

  it('/dev/zero is refused without reading it', async () => {
    const d = tmp();
    const e = await prepareError(unchecked({ workdir: d, envFiles: ['/dev/zero'] }), d);
    expect(e.message).toBe('envFile /dev/zero cannot be read: not a regular file (a character device)');
  }, 10_000);

  it('a file over 1 MB is refused', async () => {
    const d = tmp();
    writeFileSync(join(d, 'big.env'), `A=${'x'.repeat(1024 * 1024)}\n`);
    const e = await prepareError(desired({ workdir: d, envFiles: [join(d, 'big.env')] }), d);
    expect(e.message).toBe(`envFile ${join(d, 'big.env')} cannot be read: file is larger than 1 MB`);
  });

  it('invalid UTF-8 or a NUL is refused by line, without the value', async () => {
    const d = tmp();
    writeFileSync(
      join(d, 'u.env'),
      Buffer.concat([Buffer.from('A=ok\nMY_TOKEN=s3cr'), Buffer.from([0xe9]), Buffer.from('t\n')]),
    );
    writeFileSync(join(d, 'n.env'), 'A=ok\nB=x\nMY_TOKEN=s3cr\0et\n');
    const u = await prepareError(desired({ workdir: d, envFiles: [join(d, 'u.env')] }), d);
    expect(u.message).toBe(`envFile ${join(d, 'u.env')}:2: invalid UTF-8`);
    const n = await prepareError(desired({ workdir: d, envFiles: [join(d, 'n.env')] }), d);
    expect(n.message).toBe(`envFile ${join(d, 'n.env')}:3: NUL character`);
  });
});

describe('workspace files stay inside the workdir', () => {
  it('a file whose folder is a symlink out of the workdir is refused; nothing is written outside', async () => {
    const d = tmp();
    const wd = join(d, 'wd');
    const outside = join(d, 'outside');
    mkdirSync(wd);
    mkdirSync(outside);
    symlinkSync(outside, join(wd, 'sub'));
    const e = await prepareError(desired({ workdir: wd, files: { 'sub/x.md': 'hi' } }), d);
    expect(e.message).toBe('files: sub/x.md leads outside the workdir (through a symlink)');
    expect(existsSync(join(outside, 'x.md'))).toBe(false);
  });

  it('a file that is itself a symlink out of the workdir is refused; its target is untouched', async () => {
    const d = tmp();
    const wd = join(d, 'wd');
    mkdirSync(wd);
    writeFileSync(join(d, 'victim'), 'original');
    symlinkSync(join(d, 'victim'), join(wd, 'CLAUDE.md'));
    const e = await prepareError(desired({ workdir: wd, files: { 'CLAUDE.md': 'overwritten' } }), d);
    expect(e.message).toBe('files: CLAUDE.md leads outside the workdir (through a symlink)');
    expect(readFileSync(join(d, 'victim'), 'utf8')).toBe('original');
  });

  it('files in nested folders inside the workdir are written', async () => {
    const d = tmp();
    await prepareStart(desired({ workdir: join(d, 'wd'), files: { 'a/b/c.txt': 'deep', 'top.md': 'top' } }), d);
    expect(readFileSync(join(d, 'wd', 'a', 'b', 'c.txt'), 'utf8')).toBe('deep');
    expect(readFileSync(join(d, 'wd', 'top.md'), 'utf8')).toBe('top');
  });
});
