// The probe's sections and their parsing: a forged section (wrong nonce) is ignored; the script itself run by the real sh.
import { execa } from 'execa';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProbe, probeArgv } from '../../../src/hosts/probe-script.js';
import { removeTree } from '../../helpers/remove-tree.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const home = mkdtempSync(join(tmpdir(), 'agentctl-probe-'));
afterAll(() => removeTree(home));

describe('parseProbe', () => {
  it('reads every section', () => {
    const out = [
      '',
      '@@n1 env',
      `HOME=${b64('/home/u')}`,
      `PATH=${b64('/usr/bin:/bin')}`,
      `LANG=${b64('a\nb')}`,
      '@@n1 preflight',
      'tmux\ttmux 3.3a',
      '@@n1 tmux 0',
      'a\t$1\t0',
      '@@n1 ls 0',
      'a.x.exit\0b\nc\0',
      '@@n1 end',
      '',
    ].join('\n');
    expect(parseProbe(out, 'n1')).toEqual({
      env: { HOME: '/home/u', PATH: '/usr/bin:/bin', LANG: 'a\nb' },
      preflight: 'tmux\ttmux 3.3a',
      tmux: { exitCode: 0, stdout: 'a\t$1\t0' },
      listing: ['a.x.exit', 'b\nc'],
      complete: true,
    });
  });

  it.each([
    [
      'a section with another nonce is part of the one before',
      '\n@@n1 tmux 0\nx\n@@n2 end\n',
      { tmux: { exitCode: 0, stdout: 'x\n@@n2 end\n' }, complete: false },
    ],
    ['nothing', '', { complete: false }],
    [
      'tmux without server',
      '\n@@n1 tmux 1\n\n@@n1 ls 0\n\n@@n1 end\n',
      { tmux: { exitCode: 1, stdout: '' }, listing: [], complete: true },
    ],
  ])('%s', (_, out, want) => {
    expect(parseProbe(out, 'n1')).toEqual(want);
  });
});

describe('PROBE_SCRIPT', () => {
  it('runs under sh: env, preflight over ~ workdirs, tmux (no server) and the run folder', async () => {
    mkdirSync(join(home, 'run'), { recursive: true });
    writeFileSync(join(home, 'run', "it's.exit"), '0\n');
    const argv = probeArgv({
      nonce: 'abc',
      hello: true,
      socket: `agentctl-test-none-${process.pid}`,
      format: '#{session_name}',
      runDir: 'run',
      workdirs: ['~/w', '~'],
    });
    const r = await execa('/bin/sh', argv, {
      env: { HOME: home, PATH: process.env.PATH!, USER: 'me' },
      extendEnv: false,
      reject: false,
    });
    const a = parseProbe(r.stdout, 'abc');
    expect(a.complete).toBe(true);
    expect(a.env).toMatchObject({ HOME: home, USER: 'me' });
    expect(a.preflight).toMatch(/^tmux\ttmux \d/m);
    expect(a.preflight).toMatch(new RegExp(`^disk\\t0\\t\\d+\\t${home}$`, 'm'));
    expect(a.tmux?.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/no server running|error connecting/);
    expect(a.listing).toEqual(["it's.exit"]);
    const routine = parseProbe(
      (
        await execa(
          '/bin/sh',
          probeArgv({ nonce: 'n', hello: false, socket: '', format: '', runDir: 'run', workdirs: [] }),
          { env: { HOME: home }, reject: false },
        )
      ).stdout,
      'n',
    );
    expect(routine).toEqual({ complete: true });
  });
});
