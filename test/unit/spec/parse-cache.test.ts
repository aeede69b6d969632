// The parse cache on disk is faster, never different: a cache of the wrong shape or an edited entry is
// ignored, the file is private, and no secret value is written into it.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadSpecs, type SpecSet } from '../../../src/spec/load.js';
import { ParseCache } from '../../../src/spec/parse-cache.js';
import { removeTree } from '../../helpers/remove-tree.js';

// The anchor makes the fast path (js-yaml) decline the file: only files that need `yaml` are cached.
const agent = (name: string, extra = ''): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: &c [sleep, '60']\n${extra}`;
const plainAgent = (name: string): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: [sleep, '60']\n`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});

interface Setup {
  specs: string;
  cacheFile: string;
  /** A load as a fresh process does it: the cache read from disk, used, saved. */
  load(): Promise<{ set: SpecSet; cache: ParseCache }>;
}
function setup(files: Record<string, string>): Setup {
  const root = mkdtempSync(join(tmpdir(), 'agentctl-cache-'));
  dirs.push(root);
  const specs = join(root, 'specs');
  mkdirSync(specs);
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(specs, rel), text);
  const cacheFile = join(root, 'state', 'cache', 'parsed-specs.json');
  return {
    specs,
    cacheFile,
    async load() {
      const cache = new ParseCache(cacheFile);
      await cache.loadDisk();
      const set = await loadSpecs({ specsDir: specs, host: 'h', home: root, cache });
      await cache.saveDisk();
      return { set, cache };
    },
  };
}

describe('what is cached', () => {
  it('a plain file is read by the fast path every time and never written to the cache', async () => {
    const s = setup({ 'a.yaml': plainAgent('a'), 'b.yaml': agent('b') });
    const first = await s.load();
    expect(first.cache.stats()).toMatchObject({ hits: 1, misses: 1 });
    const disk = JSON.parse(readFileSync(s.cacheFile, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(disk.entries)).toHaveLength(1);
    const again = await s.load();
    expect(again.cache.stats()).toMatchObject({ hits: 2, misses: 0 });
    expect([...again.set.agents.keys()]).toEqual(['a', 'b']);
  });
});

describe('a cache is only ever used for the exact text it was parsed from', () => {
  it('a warm cache is used (hits), and gives the same agents as no cache', async () => {
    const s = setup({ 'a.yaml': agent('a'), 'b.yaml': agent('b') });
    const cold = await s.load();
    expect(cold.cache.stats()).toMatchObject({ hits: 0, misses: 2 });
    const warm = await s.load();
    expect(warm.cache.stats()).toMatchObject({ hits: 2, misses: 0, rejected: 0 });
    expect([...warm.set.agents.values()].map((a) => a.hash)).toEqual([...cold.set.agents.values()].map((a) => a.hash));
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['entries of the wrong shape', '{"version":2,"entries":{"k":"garbage"}}'],
    ['an old version', '{"version":1,"entries":{"k":{"documents":[],"errors":[]}}}'],
  ])('a cache file that is %s is ignored: every spec still loads', async (_, content) => {
    const s = setup({ 'a.yaml': agent('a') });
    mkdirSync(dirname(s.cacheFile), { recursive: true });
    writeFileSync(s.cacheFile, content);
    const { set } = await s.load();
    expect(set.errors).toEqual([]);
    expect([...set.agents.keys()]).toEqual(['a']);
  });

  it.each([
    ['a string', 'garbage'],
    ['null', null],
    ['an object without documents', { errors: [] }],
  ])('every entry replaced by %s (keys kept) is ignored: every spec still loads', async (_, bad) => {
    const s = setup({ 'a.yaml': agent('a'), 'b.yaml': agent('b') });
    await s.load();
    const data = JSON.parse(readFileSync(s.cacheFile, 'utf8')) as { entries: Record<string, unknown> };
    for (const k of Object.keys(data.entries)) data.entries[k] = bad;
    writeFileSync(s.cacheFile, JSON.stringify(data));
    const { set } = await s.load();
    expect(set.errors).toEqual([]);
    expect([...set.agents.keys()]).toEqual(['a', 'b']);
  });

  it('an edited entry is detected and ignored: the agent runs what its spec says', async () => {
    const s = setup({ 'a.yaml': agent('a') });
    await s.load();
    const text = readFileSync(s.cacheFile, 'utf8');
    expect(text).toContain('sleep');
    writeFileSync(s.cacheFile, text.replaceAll('sleep', 'evil!'));
    const { set, cache } = await s.load();
    expect(set.agents.get('a')?.spec.command).toEqual(['sleep', '60']);
    expect(cache.stats()).toMatchObject({ hits: 0, rejected: 1 });
  });

  it('an entry moved to another key (another file or text) is not used for it', async () => {
    const s = setup({ 'a.yaml': agent('a'), 'b.yaml': agent('b', "  env: {X: '1'}\n") });
    await s.load();
    const data = JSON.parse(readFileSync(s.cacheFile, 'utf8')) as { entries: Record<string, unknown> };
    const [k1, k2] = Object.keys(data.entries);
    const swapped = { ...data, entries: { [k1!]: data.entries[k2!], [k2!]: data.entries[k1!] } };
    writeFileSync(s.cacheFile, JSON.stringify(swapped));
    const { set, cache } = await s.load();
    expect(set.agents.get('a')?.spec.env).toEqual({});
    expect(set.agents.get('b')?.spec.env).toEqual({ X: '1' });
    expect(cache.stats().rejected).toBe(2);
  });

  it('a FIFO where the cache file belongs does not hang the load', async () => {
    const s = setup({ 'a.yaml': agent('a') });
    mkdirSync(dirname(s.cacheFile), { recursive: true });
    execFileSync('mkfifo', [s.cacheFile]);
    const cache = new ParseCache(s.cacheFile);
    await cache.loadDisk();
    const set = await loadSpecs({ specsDir: s.specs, host: 'h', home: '/h', cache });
    expect([...set.agents.keys()]).toEqual(['a']);
  }, 10_000);
});

describe('the cache file is private and holds no secret', () => {
  it('0600 in a 0700 folder', async () => {
    const s = setup({ 'a.yaml': agent('a') });
    await s.load();
    expect([statSync(dirname(s.cacheFile)).mode & 0o777, statSync(s.cacheFile).mode & 0o777]).toEqual([0o700, 0o600]);
  });

  it('a file with a secret-looking env value is parsed every time, never written to disk', async () => {
    const s = setup({ 'a.yaml': agent('a', '  env: {MY_TOKEN: s3cr3t-value, LOG: info}\n'), 'b.yaml': agent('b') });
    await s.load();
    expect(readFileSync(s.cacheFile, 'utf8')).not.toContain('s3cr3t-value');
    const { set, cache } = await s.load();
    expect(set.agents.get('a')?.spec.env).toEqual({ MY_TOKEN: 's3cr3t-value', LOG: 'info' });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('a secret in _defaults.yaml is kept out as well', async () => {
    const s = setup({ 'a.yaml': agent('a'), '_defaults.yaml': 'spec:\n  env: {API_KEY: k3y-in-defaults}\n' });
    await s.load();
    expect(readFileSync(s.cacheFile, 'utf8')).not.toContain('k3y-in-defaults');
  });
});
