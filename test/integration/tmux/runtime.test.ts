// The tmux runtime adapter against a real tmux server: batching, exit codes, grace periods, conflicts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TmuxRuntime } from '../../../src/runtime/tmux/tmux-runtime.js';
import { batching } from '../../../src/runtime/batching.js';
import { Observer } from '../../../src/engine/observer.js';
import { createLocalExecutor, localMachine } from '../../../src/exec/local.js';
import type { Executor } from '../../../src/exec/executor.js';
import { baseEnv } from '../../../src/runtime/agent-env.js';
import { sha256 } from '../../../src/spec/hash.js';
import type { StartRequest } from '../../../src/runtime/types.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';
import { waitFor } from '../../helpers/cli.js';
import { removeTree } from '../../helpers/remove-tree.js';

let tmux: TestTmux;
let dir: string;
let exec: Executor;
let rt: TmuxRuntime;
const OWNER = 'test:owner';

beforeEach(() => {
  tmux = testTmux();
  dir = mkdtempSync(join(tmpdir(), 'agentctl-rt-'));
  exec = createLocalExecutor();
  rt = new TmuxRuntime({
    socket: tmux.socket,
    machine: localMachine(dir, exec),
    runDir: join(dir, 'run'),
    owner: OWNER,
    baseEnv: baseEnv(process.env),
    log: pino({ level: 'silent' }),
  });
});

afterEach(async () => {
  await tmux.kill();
  removeTree(dir);
});

const req = (name: string, argv: string[], env: Record<string, string> = {}): StartRequest => ({
  name,
  argv,
  workdir: dir,
  env,
  secrets: [],
  hash: sha256(name),
});

describe('tmux runtime', () => {
  it('starts a batch with one tmux process and marks every session as ours', async () => {
    await rt.observe(); // as the pipeline always does first (no server: nothing to clear before starting)
    const before = exec.spawned;
    const res = await rt.start(Array.from({ length: 30 }, (_, i) => req(`a${i}`, ['sleep', '600'], { N: String(i) })));
    expect(exec.spawned - before).toBe(1);
    expect([...res.values()].every((o) => o.handle && !o.error)).toBe(true);
    const obs = await rt.observe();
    expect(obs.agents.size).toBe(30);
    for (const a of obs.agents.values()) {
      expect(a.owner).toBe(OWNER);
      expect(a.hash).toBe(sha256(a.name));
      expect(a.handle).toBe(res.get(a.name)!.handle);
      expect(a.alive).toBe(true);
    }
  });

  it('coalesces concurrent starts from different callers and concurrent observes', async () => {
    const b = batching(rt);
    await rt.observe();
    const before = exec.spawned;
    await Promise.all(Array.from({ length: 20 }, (_, i) => b.start([req(`c${i}`, ['sleep', '600'])])));
    expect(exec.spawned - before).toBe(1);
    const observer = new Observer(() => b.observe());
    const mid = exec.spawned;
    const views = await Promise.all(Array.from({ length: 50 }, () => observer.get('tmux', Date.now())));
    expect(exec.spawned - mid).toBeLessThanOrEqual(2);
    expect(views.every((v) => v.agents.size === 20)).toBe(true);
  });

  it('records the exit code of an agent that exits, and keeps its last output', async () => {
    await rt.start([req('x', ['sh', '-c', 'echo bye; exit 3'])]);
    const dead = await waitFor(async () => {
      const a = (await rt.observe()).agents.get('x');
      return a && !a.alive && a.exit?.code === 3 && a;
    });
    expect(dead.exit!.signal).toBeNull();
    expect(await rt.logs('x', 10)).toContain('bye');
  });

  it('a failing start in a batch (name taken by a foreign session) does not stop the others', async () => {
    await tmux.run('new-session', '-d', '-s', 'taken', 'sleep', '600');
    const res = await rt.start([
      req('before', ['sleep', '600']),
      req('taken', ['sleep', '600']),
      req('after', ['sleep', '600']),
    ]);
    expect(res.get('before')!.error).toBeUndefined();
    expect(res.get('after')!.error).toBeUndefined();
    expect(res.get('taken')!.error?.message).toMatch(/already exists .* not ours/);
    const obs = await rt.observe();
    expect(obs.foreign).toEqual(['taken']);
    expect(obs.agents.get('taken')!.owner).toBeNull();
  });

  it('stop sends SIGTERM first (exit recorded as 143) and kills an agent that ignores it after its grace period', async () => {
    const marker = join(dir, 'term.txt');
    await rt.start([
      req('polite', ['sh', '-c', `trap 'echo got-term > ${marker}; exit 143' TERM; while :; do sleep 0.1; done`]),
      req('stubborn', ['sh', '-c', "trap '' TERM; while :; do sleep 0.1; done"]),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    const obs = await rt.observe();
    const t0 = Date.now();
    await rt.stop([
      { name: 'polite', observed: obs.agents.get('polite')!, graceSeconds: 5 },
      { name: 'stubborn', observed: obs.agents.get('stubborn')!, graceSeconds: 1 },
    ]);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(readFileSync(marker, 'utf8').trim()).toBe('got-term');
    expect((await rt.observe()).agents.size).toBe(0);
    expect(await rt.exitOf('polite', obs.agents.get('polite')!.handle)).toMatchObject({ code: 143, signal: 'SIGTERM' });
    // Nothing of the stubborn agent survives its session.
    const pid = obs.agents.get('stubborn')!.pid!;
    await waitFor(async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 3000);
  });

  it('passes argv and env literally (no shell, no tmux parsing)', async () => {
    const out = join(dir, 'args.txt');
    const args = [
      '$(touch /tmp/agentctl-should-not-exist)',
      '; rm -rf /nonexistent-dir',
      "it's",
      'a;',
      '#{session_name}',
      '~',
      '',
      'multi\nline',
      '{',
      '}',
    ];
    await rt.start([
      req(
        'lit',
        [
          'sh',
          '-c',
          `for a in "$@"; do printf '[%s]\\n' "$a"; done > ${out}.tmp; printf '[%s]\\n' "$V" >> ${out}.tmp; mv ${out}.tmp ${out}`,
          'sh',
          ...args,
        ],
        { V: "x'y;$(z)" },
      ),
    ]);
    const text = await waitFor(async () => readFileSync(out, 'utf8'));
    expect(text).toBe([...args, "x'y;$(z)"].map((a) => `[${a}]\n`).join(''));
  });

  it('sweep removes launch files a crash left (older than a minute), never a young one', async () => {
    const { mkdirSync, existsSync } = await import('node:fs');
    const run = join(dir, 'run');
    mkdirSync(run, { recursive: true });
    const token = (ms: number): string => `${ms.toString(36)}abcdef`;
    const old = join(run, `a.${token(Date.now() - 120_000)}.launch`);
    const young = join(run, `b.${token(Date.now() - 1000)}.launch`);
    writeFileSync(old, "export SECRET='x'\n");
    writeFileSync(young, "export SECRET='y'\n");
    await rt.sweep();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(young)).toBe(true);
  });
});
