// The build's freshness check (src/build/fresh.mjs), run as npm runs it, on a small tree of real files.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'agentctl-fresh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fresh = (mode: string) => execa('node', [join(ROOT, 'src/build/fresh.mjs'), mode], { cwd: dir, reject: false });

describe('build freshness', () => {
  it('skips only a build of exactly these sources with its entry point present', async () => {
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(dir, 'dist/src/cli'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'dist/src/cli/main.js'), '');
    expect((await fresh('check')).exitCode).toBe(1); // never built
    expect((await fresh('write')).exitCode).toBe(0);
    expect((await fresh('check')).exitCode).toBe(0);
    // An edit (a later mtime), a new file, and a missing entry point each mean: build again.
    utimesSync(join(dir, 'src/a.ts'), new Date(), new Date(Date.now() + 5000));
    expect((await fresh('check')).exitCode).toBe(1);
    await fresh('write');
    writeFileSync(join(dir, 'src/b.ts'), '');
    expect((await fresh('check')).exitCode).toBe(1);
    await fresh('write');
    rmSync(join(dir, 'dist/src/cli/main.js'));
    expect((await fresh('check')).exitCode).toBe(1);
    expect((await fresh('nonsense')).exitCode).toBe(2);
  });
});
