// Preflight answers read purely, each failure with its fix line; the script itself run by a local sh.
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parsePreflight,
  PREFLIGHT_SCRIPT,
  preflightChecks,
  tmuxVersion,
  type PreflightAnswer,
} from '../../../src/hosts/preflight-checks.js';
import { removeTree } from '../../helpers/remove-tree.js';

const GB = 1024 ** 3;
const answer = (a: Partial<PreflightAnswer>): PreflightAnswer => ({
  tmux: 'tmux 3.3a',
  slurmMissing: [],
  disks: [],
  ...a,
});
const opts = { host: 'gpu1', workdirs: ['/home/a/agents/x', '/home/a/agents/y'], needTmux: true, needSlurm: false };

describe('parsePreflight', () => {
  it('reads tmux, missing Slurm tools and disks', () => {
    const out = 'tmux\ttmux 3.3a\nslurm\t sbatch scancel\ndisk\t0\t2048\t/home/a\ndisk\t1\t\t/x\ty\nnoise\n';
    expect(parsePreflight(out)).toEqual({
      tmux: 'tmux 3.3a',
      slurmMissing: ['sbatch', 'scancel'],
      disks: [
        { index: 0, availableBytes: 2048 * 1024, measured: '/home/a' },
        { index: 1, availableBytes: null, measured: '/x\ty' },
      ],
    });
  });
});

describe('tmuxVersion', () => {
  it.each([
    ['tmux 3.3a', { major: 3, minor: 3 }],
    ['tmux next-3.4', { major: 3, minor: 4 }],
    ['tmux 2.9', { major: 2, minor: 9 }],
    ['tmux master', null],
  ])('%s', (text, v) => {
    expect(tmuxVersion(text)).toEqual(v);
  });
});

describe('preflightChecks', () => {
  it.each([
    {
      case: 'all well',
      a: answer({ disks: [{ index: 0, availableBytes: 2 * GB, measured: '/home/a' }] }),
      expected: [
        ['tmux', true, undefined],
        ['disk', true, undefined],
      ],
    },
    {
      case: 'tmux missing',
      a: answer({ tmux: '' }),
      expected: [['tmux', false, 'install tmux on gpu1 (3.2 or newer), or put it on the PATH of ssh commands there']],
    },
    {
      case: 'tmux too old',
      a: answer({ tmux: 'tmux 3.0a' }),
      expected: [['tmux', false, 'upgrade tmux on gpu1 to 3.2 or newer']],
    },
    { case: 'tmux of unknown version', a: answer({ tmux: 'tmux master' }), expected: [['tmux', true, undefined]] },
    {
      case: 'a full disk',
      a: answer({ disks: [{ index: 1, availableBytes: 100 * 1024 * 1024, measured: '/home/a' }] }),
      expected: [
        ['tmux', true, undefined],
        ['disk', false, 'free disk space on gpu1 under /home/a'],
      ],
    },
    {
      case: 'df failed',
      a: answer({ disks: [{ index: 0, availableBytes: null, measured: '/home/a' }] }),
      expected: [
        ['tmux', true, undefined],
        ['disk', false, 'check that df -Pk /home/a works on gpu1'],
      ],
    },
    {
      case: 'two workdirs measured at the same folder: one check',
      a: answer({ disks: [0, 1].map((index) => ({ index, availableBytes: GB, measured: '/home/a' })) }),
      expected: [
        ['tmux', true, undefined],
        ['disk', true, undefined],
      ],
    },
  ])('$case', ({ a, expected }) => {
    expect(preflightChecks(a, opts).map((c) => [c.name, c.ok, c.fix])).toEqual(expected);
  });

  it('says how little is free, and where', () => {
    const [, disk] = preflightChecks(
      answer({ disks: [{ index: 1, availableBytes: 100 * 1024 * 1024, measured: '/home/a' }] }),
      opts,
    );
    expect(disk?.message).toBe('only 100 MB free for /home/a/agents/y on gpu1 (at least 512 MB needed)');
  });

  it('checks the Slurm tools only when the host runs Slurm agents', () => {
    const a = answer({ slurmMissing: ['sbatch'] });
    expect(preflightChecks(a, { ...opts, needTmux: false })).toEqual([]);
    expect(preflightChecks(a, { ...opts, needTmux: false, needSlurm: true })).toEqual([
      {
        name: 'slurm',
        ok: false,
        message: 'sbatch not found on gpu1',
        fix: 'install the Slurm client tools on gpu1, or put sbatch on the PATH of ssh commands there',
      },
    ]);
  });
});

describe('the script, run by a local sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-preflight-'));
  afterAll(() => removeTree(dir));

  it('measures each workdir, or its nearest existing parent', async () => {
    const r = await execa('sh', ['-c', PREFLIGHT_SCRIPT, 'preflight', dir, join(dir, 'not', 'yet'), 'relative']);
    const a = parsePreflight(r.stdout);
    expect(a.tmux).toMatch(/^tmux \d/);
    expect(a.disks.map((d) => [d.index, d.measured])).toEqual([
      [0, dir],
      [1, dir],
      [2, '/'],
    ]);
    expect(a.disks.every((d) => d.availableBytes !== null && d.availableBytes > 0)).toBe(true);
  });
});
