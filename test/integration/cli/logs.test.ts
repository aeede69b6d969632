// agentctl logs against real tmux and Slurm: -f prints each line once (never the pane again), -l, a missing program, a closed pipe.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, CLI, sandbox, waitFor, type Sandbox } from '../../helpers/cli.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { assertSlurm, disposeSlurmSandbox, SKIP_SLURM } from '../../helpers/slurm.js';

const fx = useTmuxSandbox();

/** Runs `logs ARGS` until `done(lines)` holds, then interrupts it as a person would (Ctrl-C). The
 * wait is long: at a load of 16 on 2 cores a `restart` alone took over 9 s, and the tests 4 times
 * their usual time. */
async function follow(
  sb: Sandbox,
  args: string[],
  done: (lines: string[]) => boolean,
  timeoutMs = 60_000,
): Promise<{ lines: string[]; exitCode: number; stderr: string }> {
  const proc = execa('node', [CLI, 'logs', ...args], { env: sb.env, reject: false, buffer: false, cwd: sb.dir });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const lines = (): string[] => out.split('\n').slice(0, -1);
  try {
    await waitFor(async () => done(lines()), timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; stdout: ${JSON.stringify(lines())}; stderr: ${JSON.stringify(err)}`);
  } finally {
    proc.kill('SIGINT');
  }
  const r = await proc;
  return { lines: lines(), exitCode: r.exitCode ?? -1, stderr: err };
}

/** `<incarnation> <n>` lines: each incarnation counts up from 1 without a gap or a repeat. An
 * incarnation stopped by a restart ends with sh's `Terminated` and tmux's notice. */
function counted(lines: string[]): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const l of lines) {
    if (/^(?:\[\w+\] )?(?:Terminated|Pane is dead \(status \d+, .*\))$/.test(l)) continue;
    const m = /^(?:\[\w+\] )?(\d+) (\d+)$/.exec(l);
    expect(m, `unexpected line ${JSON.stringify(l)}`).not.toBeNull();
    by.set(m![1]!, [...(by.get(m![1]!) ?? []), Number(m![2])]);
  }
  return by;
}
const consecutive = (ns: number[]): boolean => ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1);
const counter = (sleep: string): string[] => [
  'sh',
  '-c',
  `i=0; while true; do i=$((i+1)); echo "$$ $i"; sleep ${sleep}; done`,
];

describe('logs -f (tmux)', () => {
  it('prints the last lines, then each new line once: never the pane again', async () => {
    fx.sb.write('a.yaml', agentYaml('a', counter('0.05')));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    // Let the pane fill past the -n window, so a replay would show.
    await waitFor(async () => /\d+ (\d{2,})$/.test((await fx.sb.run(['logs', 'a', '-n', '1'])).stdout));
    const r = await follow(fx.sb, ['a', '-n', '2', '-f'], (l) => l.length >= 40);
    expect(r.exitCode).toBe(0);
    const runs = counted(r.lines);
    expect(runs.size).toBe(1);
    const ns = [...runs.values()][0]!;
    expect(ns[0]).toBeGreaterThan(9);
    expect(consecutive(ns)).toBe(true);
    // Nothing skipped either: a pane that scrolled between two reads is still read in order.
    expect(r.stderr).toBe('');
  });

  it('follows a restart into the new incarnation without repeating the old one', async () => {
    fx.sb.write('a.yaml', agentYaml('a', counter('0.1')));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    let restart: Promise<unknown> | undefined;
    const r = await follow(fx.sb, ['a', '-n', '1', '-f'], (lines) => {
      if (!restart && lines.length >= 3) restart = fx.sb.run(['restart', 'a']);
      return counted(lines).size === 2 && [...counted(lines).values()][1]!.length >= 3;
    });
    // The restart (carried out by the command itself, no controller runs) must end before the
    // sandbox is cleaned up: left running, it saw its agent vanish with the killed tmux server and
    // started it again, on a new server nobody killed.
    await restart;
    const runs = [...counted(r.lines).values()];
    expect(runs).toHaveLength(2);
    for (const ns of runs) expect(consecutive(ns)).toBe(true);
    expect(runs[1]![0]).toBe(1);
  });

  it('-l follows every agent it selects, each line prefixed with its name', async () => {
    fx.sb.write(
      'ab.yaml',
      [agentYaml('a', counter('0.1'), {}), agentYaml('b', counter('0.1'))]
        .join('---\n')
        .replace(/name: (a|b)\n/g, 'name: $1\n  labels: {team: x}\n'),
    );
    fx.sb.write('c.yaml', agentYaml('c', counter('0.1')));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const r = await follow(
      fx.sb,
      ['-l', 'team=x', '-n', '1', '-f'],
      (l) => l.some((x) => x.startsWith('[a] ')) && l.some((x) => x.startsWith('[b] ')) && l.length >= 8,
    );
    expect(r.lines.every((l) => /^\[(a|b)\] /.test(l))).toBe(true);
    for (const agent of ['a', 'b'])
      expect(consecutive([...counted(r.lines.filter((l) => l.startsWith(`[${agent}] `))).values()][0]!)).toBe(true);
  });

  it('a closed pipe ends it quietly', async () => {
    fx.sb.write('a.yaml', agentYaml('a', counter('0.05')));
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const proc = execa('node', [CLI, 'logs', 'a', '-f'], { env: fx.sb.env, reject: false, buffer: false });
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    await new Promise((res) => proc.stdout.once('data', res));
    proc.stdout.destroy();
    const r = await proc;
    // No EPIPE crash and no stack: at most the note that a busy machine made it skip output.
    expect(err.split('\n').filter((l) => l !== '' && !/some output could not be read in order/.test(l))).toEqual([]);
    expect(r.exitCode).toBe(0);
  });
});

describe('logs of an agent whose program is missing', () => {
  it('says so in one clean line, with no path of the state dir', async () => {
    fx.sb.write('nobin.yaml', agentYaml('nobin', ['/no/such/binary', '--flag']));
    await fx.sb.run(['reconcile', '--once', '--timeout', '3s']);
    let last = '';
    const r = await waitFor(async () => {
      const l = await fx.sb.run(['logs', 'nobin']);
      last = JSON.stringify([l.exitCode, l.stdout, l.stderr, [...(await fx.tmux.sessions()).keys()]]);
      // (tmux 3.3a adds its "Pane is dead" notice only once it has reaped the pane's process,
      // which for a process that dies at once on a new server it sometimes never does.)
      return l.stdout.includes('cannot start') ? l : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; last: ${last}`);
    });
    expect(r.stdout.split('\n')[0]).toBe('agentctl: cannot start /no/such/binary: not found');
    expect(r.stdout).not.toContain(fx.sb.state);
    expect(r.stdout).not.toMatch(/agentctl:[^ ]*:[0-9a-f]{64}/);
  });
});

describe('logs masks the secrets the agent echoes', () => {
  it('hides envFiles values and secret-keyed env values, in logs and logs -f', async () => {
    const fileSecret = `file-${randomBytes(6).toString('hex')}`;
    const envSecret = `env-${randomBytes(6).toString('hex')}`;
    fx.sb.write('_secrets/a.env', `WANDB_TOKEN_FROM_FILE=${fileSecret}\n`);
    fx.sb.write(
      'a.yaml',
      agentYaml(
        'a',
        [
          'sh',
          '-c',
          'echo "file=$WANDB_TOKEN_FROM_FILE env=$API_KEY plain=$LEVEL"; sleep 1; echo "again $API_KEY"; sleep 100',
        ],
        { env: { API_KEY: envSecret, LEVEL: 'visible-value' }, envFiles: [`${fx.sb.specs}/_secrets/a.env`] },
      ),
    );
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const once = await waitFor(async () => {
      const r = await fx.sb.run(['logs', 'a']);
      return r.stdout.includes('again') ? r : undefined;
    });
    expect(once.stdout).toContain('file=<redacted> env=<redacted> plain=visible-value');
    expect(once.stdout).toContain('again <redacted>');
    const followed = await follow(fx.sb, ['a', '-f'], (l) => l.some((x) => x.startsWith('again')));
    const text = followed.lines.join('\n');
    expect(text).toContain('again <redacted>');
    for (const out of [once.stdout, text]) {
      expect(out).not.toContain(fileSecret);
      expect(out).not.toContain(envSecret);
    }
  });
});

describe('logs usage', () => {
  it('needs a name or a selector (exit 2); a selector that matches nothing is exit 1', async () => {
    expect((await fx.sb.run(['logs'])).exitCode).toBe(2);
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '100']));
    const r = await fx.sb.run(['logs', '-l', 'team=none']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('agentctl: no agent matches -l team=none');
    expect((await fx.sb.run(['logs', '-l', 'team in ('])).exitCode).toBe(2);
  });
});

describe.skipIf(SKIP_SLURM)('logs -f (Slurm)', () => {
  let sb: Sandbox;
  beforeAll(assertSlurm);
  afterEach(async () => {
    await disposeSlurmSandbox(sb);
  });

  it('prints the last lines, then each new line once', async () => {
    sb = sandbox(`agentctl-test-logs-${randomBytes(4).toString('hex')}`);
    sb.write('s.yaml', agentYaml('s', counter('0.1'), { runtime: 'slurm', workdir: sb.dir }));
    expect((await sb.run(['reconcile', '--once', '--timeout', '30s'])).exitCode).toBe(0);
    await waitFor(async () => /\d+ (\d{2,})$/.test((await sb.run(['logs', 's', '-n', '1'])).stdout), 20_000);
    const r = await follow(sb, ['s', '-n', '2', '-f'], (l) => l.length >= 25);
    const runs = counted(r.lines);
    expect(runs.size).toBe(1);
    const ns = [...runs.values()][0]!;
    expect(ns[0]).toBeGreaterThan(9);
    expect(consecutive(ns)).toBe(true);
    // Nothing skipped either: a pane that scrolled between two reads is still read in order.
    expect(r.stderr).toBe('');
  });
});
