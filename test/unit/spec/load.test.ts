// Loading a real specs folder: entries the loader cannot use are invalid files (never silently dropped),
// reads are bounded, and _defaults/_overlays follow the same confinement rule as spec files.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatSpecError } from '../../../src/spec/errors.js';
import { loadSpecs, type SpecSet } from '../../../src/spec/load.js';
import { folderSignature } from '../../../src/spec/walk.js';
import { removeTree } from '../../helpers/remove-tree.js';

const agent = (name: string, extra = ''): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: [sleep, '60']\n${extra}`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeTree(d);
});

interface Folder {
  root: string;
  specs: string;
  outside: string;
  load(host?: string): Promise<{ set: SpecSet; errors: string[]; invalid: string[]; agents: string[] }>;
}

function folder(files: Record<string, string>): Folder {
  const root = mkdtempSync(join(tmpdir(), 'agentctl-load-'));
  dirs.push(root);
  const specs = join(root, 'specs');
  const outside = join(root, 'outside');
  mkdirSync(specs);
  mkdirSync(outside);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(specs, rel)), { recursive: true });
    writeFileSync(join(specs, rel), text);
  }
  return {
    root,
    specs,
    outside,
    async load(host = 'testhost') {
      const set = await loadSpecs({ specsDir: specs, host, home: root });
      const shown = (s: string): string => s.replaceAll(specs, 'specs').replaceAll(outside, 'outside');
      return {
        set,
        errors: set.errors.map((e) => shown(formatSpecError(e))),
        invalid: [...set.invalidFiles].map(shown).sort(),
        agents: [...set.agents.keys()].sort(),
      };
    },
  };
}
const mkfifo = (p: string): void => void execFileSync('mkfifo', [p]);

describe('an entry the loader cannot use is an invalid spec file, never a deleted one', () => {
  it('a symlink named *.yaml that leads out of the folder', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    writeFileSync(join(f.outside, 'h1.yaml'), agent('h1'));
    symlinkSync(join(f.outside, 'h1.yaml'), join(f.specs, 'h1.yaml'));
    const r = await f.load();
    expect(r.errors).toEqual(['specs/h1.yaml:1:1: symlink leads outside the specs folder (to outside/h1.yaml)']);
    expect(r.invalid).toEqual(['specs/h1.yaml']);
    expect(r.agents).toEqual(['a']);
    expect(r.set.fileCount).toBe(2);
  });

  it('a symlink to a folder outside the folder', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    writeFileSync(join(f.outside, 'b.yaml'), agent('b'));
    symlinkSync(f.outside, join(f.specs, 'team'));
    expect((await f.load()).errors).toEqual(['specs/team:1:1: symlink leads outside the specs folder (to outside)']);
  });

  it('a dangling symlink named *.yaml', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    symlinkSync(join(f.specs, 'gone.yaml'), join(f.specs, 'b.yaml'));
    expect((await f.load()).errors).toEqual(['specs/b.yaml:1:1: symlink target is missing']);
  });

  it('a FIFO named *.yaml (read by nobody, reported at once)', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    mkfifo(join(f.specs, 'h2.yaml'));
    const r = await f.load();
    expect(r.errors).toEqual(['specs/h2.yaml:1:1: not a regular file (a FIFO)']);
    expect(r.invalid).toEqual(['specs/h2.yaml']);
  });

  it('a symlink to /dev/zero inside a subfolder', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    mkdirSync(join(f.specs, 'sub'));
    symlinkSync('/dev/zero', join(f.specs, 'sub', 'z.yaml'));
    expect((await f.load()).errors).toEqual([
      'specs/sub/z.yaml:1:1: symlink leads outside the specs folder (to /dev/zero)',
    ]);
  });

  it('a spec file over 1 MB is refused by its size, without being parsed', async () => {
    const f = folder({ 'big.yaml': `${agent('big')}# ${'x'.repeat(1024 * 1024)}\n` });
    const r = await f.load();
    expect(r.errors).toEqual(['specs/big.yaml:1:1: file is larger than 1 MB']);
    expect(r.invalid).toEqual(['specs/big.yaml']);
  });

  it('invalid UTF-8 is found on the raw bytes, at its line and column, before decoding could replace it', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    writeFileSync(
      join(f.specs, 'u.yaml'),
      Buffer.concat([Buffer.from(agent('u', '  env: {X: "caf')), Buffer.from([0xe9]), Buffer.from('"}\n')]),
    );
    const r = await f.load();
    expect(r.errors).toEqual(['specs/u.yaml:7:16: invalid UTF-8 (byte 0xE9)']);
    expect(r.agents).toEqual(['a']);
  });

  it('the folder signature changes when a FIFO becomes a file', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    mkfifo(join(f.specs, 'b.yaml'));
    const before = await folderSignature(f.specs);
    rmSync(join(f.specs, 'b.yaml'));
    writeFileSync(join(f.specs, 'b.yaml'), agent('b'));
    expect(await folderSignature(f.specs)).not.toBe(before);
  });
});

describe('_defaults.yaml and _overlays follow the same rule', () => {
  it('a _defaults.yaml symlinked out of the folder isolates every agent instead of changing them', async () => {
    const f = folder({ 'a.yaml': agent('a'), 'b.yaml': agent('b') });
    writeFileSync(join(f.outside, 'd.yaml'), 'spec:\n  env: {X: "1"}\n');
    symlinkSync(join(f.outside, 'd.yaml'), join(f.specs, '_defaults.yaml'));
    const r = await f.load();
    expect(r.errors).toEqual(['specs/_defaults.yaml:1:1: symlink leads outside the specs folder (to outside/d.yaml)']);
    expect(r.agents).toEqual([]);
    expect(r.invalid).toEqual(['specs/_defaults.yaml', 'specs/a.yaml', 'specs/b.yaml']);
    expect([...r.set.invalidNames.keys()].sort()).toEqual(['a', 'b']);
  });

  it('a _defaults.yaml that is a FIFO is an error, not "no defaults"', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    mkfifo(join(f.specs, '_defaults.yaml'));
    const r = await f.load();
    expect(r.errors).toEqual(['specs/_defaults.yaml:1:1: not a regular file (a FIFO)']);
    expect(r.agents).toEqual([]);
  });

  it('a symlink to a _defaults.yaml inside the folder is followed', async () => {
    const f = folder({ 'a.yaml': agent('a'), '_shared/d.yml': 'spec:\n  env: {X: "1"}\n' });
    symlinkSync(join(f.specs, '_shared', 'd.yml'), join(f.specs, '_defaults.yaml'));
    const r = await f.load();
    expect(r.errors).toEqual([]);
    expect(r.set.agents.get('a')?.spec.env).toEqual({ X: '1' });
  });

  it('an overlay that is a FIFO does not hang the load: the agent it patches is isolated', async () => {
    const f = folder({ 'a.yaml': agent('a'), 'b.yaml': agent('b') });
    mkdirSync(join(f.specs, '_overlays', 'testhost'), { recursive: true });
    mkfifo(join(f.specs, '_overlays', 'testhost', 'a.yaml'));
    const r = await f.load();
    expect(r.errors).toEqual(['specs/_overlays/testhost/a.yaml:1:1: not a regular file (a FIFO)']);
    expect(r.agents).toEqual(['b']);
    expect(r.invalid).toEqual(['specs/_overlays/testhost/a.yaml', 'specs/a.yaml']);
  }, 10_000);

  it('an overlay symlinked to /dev/zero is refused without reading it', async () => {
    const f = folder({ 'a.yaml': agent('a') });
    mkdirSync(join(f.specs, '_overlays', 'testhost'), { recursive: true });
    symlinkSync('/dev/zero', join(f.specs, '_overlays', 'testhost', 'a.yaml'));
    expect((await f.load()).errors).toEqual([
      'specs/_overlays/testhost/a.yaml:1:1: symlink leads outside the specs folder (to /dev/zero)',
    ]);
  });

  it('an overlay over 1 MB is refused', async () => {
    const f = folder({ 'a.yaml': agent('a'), '_overlays/testhost/a.yaml': `spec: {}\n# ${'x'.repeat(1024 * 1024)}\n` });
    expect((await f.load()).errors).toEqual(['specs/_overlays/testhost/a.yaml:1:1: file is larger than 1 MB']);
  });

  it("this host's overlay folder symlinked out of the folder isolates every agent", async () => {
    const f = folder({ 'a.yaml': agent('a'), 'b.yaml': agent('b') });
    writeFileSync(join(f.outside, 'a.yaml'), 'spec:\n  env: {X: "1"}\n');
    mkdirSync(join(f.specs, '_overlays'));
    symlinkSync(f.outside, join(f.specs, '_overlays', 'testhost'));
    const r = await f.load();
    expect(r.errors).toEqual(['specs/_overlays/testhost:1:1: symlink leads outside the specs folder (to outside)']);
    expect(r.agents).toEqual([]);
    // Another host's controller is not concerned.
    expect((await f.load('otherhost')).agents).toEqual(['a', 'b']);
  });
});

describe('envFiles are read bounded while hashing', () => {
  it('an envFile that is a FIFO or /dev/zero does not hang or bloat the load (its digest is unknown)', async () => {
    const f = folder({});
    mkfifo(join(f.root, 'fifo.env'));
    writeFileSync(join(f.specs, 'a.yaml'), agent('a', `  envFiles: [${join(f.root, 'fifo.env')}]\n`));
    writeFileSync(join(f.specs, 'b.yaml'), agent('b', '  envFiles: [/dev/zero]\n'));
    const r = await f.load();
    expect(r.errors).toEqual([]);
    expect(r.agents).toEqual(['a', 'b']);
  }, 10_000);
});
