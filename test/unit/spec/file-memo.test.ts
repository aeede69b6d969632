// Reloads read again only files that changed; a file modified recently is never trusted by its stat.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMemo } from '../../../src/spec/file-memo.js';
import { ParseCache } from '../../../src/spec/parse-cache.js';
import { readSpecFile } from '../../../src/spec/read-spec-file.js';
import type { SpecFileRef } from '../../../src/spec/walk.js';
import { removeTree } from '../../helpers/remove-tree.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});

const spec = (name: string, cmd = 'sleep'): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: [${cmd}, '60']\n`;

function file(text: string, ageSeconds: number): SpecFileRef {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-memo-'));
  dirs.push(dir);
  const path = join(dir, 'a.yaml');
  writeFileSync(path, text);
  const t = Date.now() / 1000 - ageSeconds;
  utimesSync(path, t, t);
  return { shown: 'specs/a.yaml', real: path };
}

const load = (cache: ParseCache, ref: SpecFileRef): unknown => {
  const f = readSpecFile(ref, cache);
  cache.sweep();
  return f;
};

describe('FileMemo through readSpecFile', () => {
  it('a file untouched since it settled is not read again', () => {
    // utimes sets ctime to now, and a file is trusted only once mtime and ctime are seconds old:
    // the memo is told it read the file ten seconds from now.
    const memo = new FileMemo();
    const ref = file(spec('a'), 60);
    const s = memo.stat(ref);
    const parsed = readSpecFile(ref);
    memo.set(ref, s, { parsed }, BigInt(Date.now() + 10_000) * 1_000_000n);
    expect(memo.get(ref, memo.stat(ref))?.parsed).toBe(parsed);
    writeFileSync(ref.real, spec('b'));
    expect(memo.get(ref, memo.stat(ref))).toBeUndefined();
  });

  it('a file replaced (rename) is read again, even with the same size and times', () => {
    const cache = new ParseCache();
    const ref = file(spec('a', 'sleep'), 60);
    const first = load(cache, ref);
    const other = `${ref.real}.new`;
    writeFileSync(other, spec('a', 'bleep'));
    const t = Date.now() / 1000 - 60;
    utimesSync(other, t, t);
    renameSync(other, ref.real);
    const again = load(cache, ref) as { documents: { value: { spec: { command: string[] } } }[] };
    expect(again).not.toBe(first);
    expect(again.documents[0]!.value.spec.command[0]).toBe('bleep');
  });

  it('a file modified within the last seconds is read every time (its mtime may not tick)', () => {
    const cache = new ParseCache();
    const ref = file(spec('a'), 0);
    const first = load(cache, ref);
    expect(load(cache, ref)).not.toBe(first);
  });

  it('a file rewritten in place with new content and an older mtime is still read again (ctime)', () => {
    const cache = new ParseCache();
    const ref = file(spec('a', 'sleep'), 60);
    load(cache, ref);
    writeFileSync(ref.real, spec('a', 'bleep'));
    const t = Date.now() / 1000 - 60;
    utimesSync(ref.real, t, t);
    const again = load(cache, ref) as { documents: { value: { spec: { command: string[] } } }[] };
    expect(again.documents[0]!.value.spec.command[0]).toBe('bleep');
  });

  it('a file that needs yaml keeps its parse-cache entry while it is not read again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentctl-memo-'));
    dirs.push(dir);
    const cacheFile = join(dir, 'cache', 'parsed.json');
    const ref = file(`${spec('a')}# anchors need yaml\nx: &y 1\n`, 60);
    const cache = new ParseCache(cacheFile);
    // A first load, as if the file had settled when it was read: the next load takes it from the
    // memo without touching the parse cache, whose entry must survive the sweep all the same.
    const r = cache.parseKeyed(ref.shown, readFileSync(ref.real, 'utf8'));
    expect(r.key).toBeDefined();
    cache.files.set(ref, cache.files.stat(ref), r, BigInt(Date.now() + 10_000) * 1_000_000n);
    cache.sweep();
    expect(load(cache, ref)).toBe(r.parsed);
    await cache.saveDisk();
    const next = new ParseCache(cacheFile);
    await next.loadDisk();
    load(next, ref);
    expect(next.stats()).toMatchObject({ hits: 1, misses: 0 });
  });
});
