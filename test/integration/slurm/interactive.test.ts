// Interactive Slurm agents on the real cluster: a TTY and its size, typing in, logs of the pane, attach through srun --pty.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createLocalExecutor, localMachine } from '../../../src/exec/local.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import { SlurmRuntime, type SlurmRuntimeOptions } from '../../../src/runtime/slurm/slurm-runtime.js';
import type { StartRequest } from '../../../src/runtime/types.js';
import { ROOT, waitFor } from '../../helpers/cli.js';
import { assertSlurm, cancelOwned, jobsOf, SKIP_SLURM } from '../../helpers/slurm.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';
import { removeTree } from '../../helpers/remove-tree.js';

describe.skipIf(SKIP_SLURM)('slurm interactive agents (real cluster)', () => {
  const owner = `tty-test:${process.pid}-${Date.now()}`;
  let dir: string;
  let options: Omit<SlurmRuntimeOptions, 'log' | 'machine'>;
  let rt: SlurmRuntime;
  let user: TestTmux | undefined;
  const req = (name: string, script: string): StartRequest => ({
    name,
    argv: ['sh', '-c', script],
    workdir: dir,
    env: {},
    secrets: [],
    hash: `hash-${name}`,
    slurm: { interactive: true },
  });
  const screen = async (name: string): Promise<string> => (await rt.capture([name])).get(name) ?? '';
  const startRunning = async (r: StartRequest, marker: string): Promise<string> => {
    const res = await rt.start([r]);
    expect(res.get(r.name)?.error?.message).toBeUndefined();
    await waitFor(async () => (await screen(r.name)).includes(marker), 60_000, 200);
    return res.get(r.name)!.handle!;
  };

  beforeAll(() => {
    assertSlurm();
    dir = mkdtempSync(join(tmpdir(), 'agentctl-slurm-tty-'));
    options = {
      runDir: join(dir, 'state', 'run', 'slurm'),
      logsDir: join(dir, 'state', 'logs', 'slurm'),
      owner,
      baseEnv: baseEnv(process.env),
      pollMs: 50,
    };
    rt = new SlurmRuntime({
      ...options,
      machine: localMachine(join(dir, 'home'), createLocalExecutor()),
      log: pino({ level: 'silent' }),
    });
  });
  afterEach(async () => {
    await user?.kill();
    user = undefined;
    await cancelOwned(owner);
  });
  afterAll(() => {
    if (dir) removeTree(dir);
  });

  it('the agent has a terminal of 50x200; sendKeys types into it; logs show the output file and the pane; stop records 143', async () => {
    const jobId = await startRunning(
      req(
        'tty',
        'if [ -t 0 ]; then echo "tty=yes"; else echo "tty=no"; fi; echo "size=$(stty size)"; while read -r l; do echo "got:$l"; done',
      ),
      'size=',
    );
    const first = await screen('tty');
    expect(first).toContain('tty=yes');
    expect(first).toContain('size=50 200');

    await rt.sendKeys('tty', [{ text: 'hello; $HOME `x`' }, { key: 'Enter' }]);
    await waitFor(async () => (await screen('tty')).includes('got:hello; $HOME `x`'), 20_000, 100);
    const logs = await rt.logs('tty', 50);
    expect(logs).toContain(`agentctl: job ${jobId} of agent tty starting`);
    expect(logs).toContain('got:hello; $HOME `x`');

    const observed = (await rt.observe()).agents.get('tty')!;
    expect(observed).toMatchObject({ alive: true, state: 'RUNNING', handle: jobId });
    const res = await rt.stop([{ name: 'tty', observed, graceSeconds: 10 }]);
    expect(res.get('tty')?.error).toBeUndefined();
    // TERM went to the agent alone (through the batch shell), which ended on it: its own status.
    expect(readFileSync(join(options.runDir, `tty.${jobId}.exit`), 'utf8')).toBe('143\n');
    expect((await jobsOf(owner, 'tty')).find((j) => j.jobId === jobId)?.state).toBe('FAILED');
  });

  it('an agent that exits ends its job with its exit code', async () => {
    const res = await rt.start([req('quits', 'echo bye; sleep 1; exit 4')]);
    const jobId = res.get('quits')!.handle!;
    const o = await waitFor(
      async () => {
        const a = (await rt.observe()).agents.get('quits');
        return a && !a.alive ? a : undefined;
      },
      60_000,
      200,
    );
    expect(o.exit).toMatchObject({ code: 4, signal: null });
    expect((await jobsOf(owner, 'quits')).find((j) => j.jobId === jobId)?.state).toBe('FAILED');
  });

  it('attach goes through srun --pty: typed into from a user’s tmux pane, detached with C-b d', async () => {
    await startRunning(
      req(
        'att',
        'echo ready; while read -r l; do if [ "$l" = size ]; then echo "size=$(stty size)"; else echo "typed:$l"; fi; done',
      ),
      'ready',
    );
    // A user's terminal: a tmux pane running the attach (the runtime's own attach, as the CLI calls it).
    const result = join(dir, 'attach-exit');
    const script = join(dir, 'attach.mjs');
    writeFileSync(
      script,
      [
        `import { pino } from ${JSON.stringify(join(ROOT, 'node_modules', 'pino', 'pino.js'))};`,
        `import { writeFileSync } from 'node:fs';`,
        `import { createLocalExecutor, localMachine } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'exec', 'local.js'))};`,
        `import { SlurmRuntime } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'runtime', 'slurm', 'slurm-runtime.js'))};`,
        `const rt = new SlurmRuntime({ ...${JSON.stringify(options)}, machine: localMachine(${JSON.stringify(join(dir, 'home'))}, createLocalExecutor()), log: pino({ level: 'silent' }) });`,
        `const code = await rt.attach('att');`,
        `writeFileSync(${JSON.stringify(result)}, String(code));`,
      ].join('\n'),
    );
    user = testTmux();
    expect((await user.run('new-session', '-d', '-s', 'user', '-x', '120', '-y', '40', 'node', script)).exitCode).toBe(
      0,
    );
    const userScreen = async (): Promise<string> => (await user!.run('capture-pane', '-p', '-t', '=user:')).stdout;
    await waitFor(async () => (await userScreen()).includes('ready'), 30_000, 100);
    await user.run('send-keys', '-t', '=user:', '-l', 'from-the-user');
    await user.run('send-keys', '-t', '=user:', 'Enter');
    await waitFor(async () => (await screen('att')).includes('typed:from-the-user'), 20_000, 100);
    // The user's terminal is redrawn by the attach client a moment after the agent's pane changed.
    await waitFor(async () => (await userScreen()).includes('typed:from-the-user'), 20_000, 100);
    // Attached from a 120-column terminal, the agent's window takes the client's width.
    await user.run('send-keys', '-t', '=user:', '-l', 'size');
    await user.run('send-keys', '-t', '=user:', 'Enter');
    await waitFor(async () => /size=\d+ 120/.test(await screen('att')), 20_000, 100);
    // Prefix and key apart, as a person types them.
    await user.run('send-keys', '-t', '=user:', 'C-b');
    await new Promise((r) => setTimeout(r, 100));
    await user.run('send-keys', '-t', '=user:', 'd');
    await waitFor(async () => existsSync(result), 20_000, 100);
    expect(readFileSync(result, 'utf8')).toBe('0');
    expect((await rt.observe()).agents.get('att')?.state).toBe('RUNNING');
  });

  it('a batch agent has no terminal: attach and sendKeys say so', async () => {
    const res = await rt.start([{ ...req('plain', 'sleep 300'), slurm: {} }]);
    expect(res.get('plain')?.error).toBeUndefined();
    await waitFor(async () => (await rt.observe()).agents.get('plain')?.state === 'RUNNING', 60_000, 200);
    await expect(rt.sendKeys('plain', [{ text: 'x' }])).rejects.toThrow(/without a terminal.*slurm\.interactive/);
    await expect(rt.attach('plain')).rejects.toThrow(/agentctl logs -f plain.*srun --jobid=\d+ --overlap --pty bash/);
  });
});
