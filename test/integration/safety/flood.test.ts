// A connection flood on a controller with few descriptors: connections beyond the caps are closed,
// nothing crashes, and agents keep being reconciled (a session killed by hand comes back).
import { describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml, waitFor } from '../../helpers/cli.js';
import { freePort, startController, type RunningController } from '../../helpers/controller.js';

let ctl: RunningController | undefined;
const fx = useTmuxSandbox(async () => {
  await ctl?.stop();
  ctl = undefined;
});

interface Flood {
  open(): number;
  closedAtOnce(): number;
  stop(): void;
}

/** Keeps `n` connections open to the port, from 8 loopback source addresses, reopening each one
 * the server closes (a real flood comes back), until stopped. */
function flood(port: number, n: number): Flood {
  const socks = new Set<Socket>();
  let stopped = false;
  let closedAtOnce = 0;
  const one = (i: number): void => {
    if (stopped) return;
    const t0 = Date.now();
    const s = connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${(i % 8) + 1}` });
    socks.add(s);
    s.on('error', () => undefined);
    s.on('close', () => {
      socks.delete(s);
      if (Date.now() - t0 < 1000) closedAtOnce++;
      if (!stopped) setTimeout(() => one(i), 20);
    });
  };
  for (let i = 0; i < n; i++) one(i);
  return {
    open: () => socks.size,
    closedAtOnce: () => closedAtOnce,
    stop() {
      stopped = true;
      for (const s of socks) s.destroy();
    },
  };
}

const fdLine = (pid: number): string =>
  readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'))!;

describe('connection flood', () => {
  it('under prlimit --nofile=300, 320 held connections neither crash the controller nor stop repairs', async () => {
    fx.sb.write('a.yaml', agentYaml('a', ['sleep', '600']));
    const port = await freePort();
    ctl = await startController(fx.sb, ['--resync', '2s', '--http-addr', `127.0.0.1:${port}`], {}, [
      'prlimit',
      '--nofile=300:300',
    ]);
    expect(fdLine(ctl.proc.pid!)).toMatch(/\s300\s+300\s/);
    const before = await waitFor(async () => (await fx.tmux.sessions()).get('a'));
    const f = flood(port, 320);
    try {
      await waitFor(async () => f.closedAtOnce() > 50, 15_000);
      await fx.tmux.run('kill-session', '-t', '=a');
      const after = await waitFor(async () => {
        const a = (await fx.tmux.sessions()).get('a');
        return a && !a.dead && a.pid !== before.pid && a;
      }, 20_000);
      expect(after.pid).not.toBe(before.pid);
      process.stdout.write(`during the flood: ${f.open()} open, ${f.closedAtOnce()} closed at once\n`);
    } finally {
      f.stop();
    }
    expect(ctl.proc.exitCode).toBeNull();
    const warned = await ctl.waitForLog((l) => l.resource === 'http connections');
    expect(String(warned.msg)).toMatch(/resource exhausted: out of http connections/);
    // Once the flood is gone, the server answers again.
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, 10_000);
  });

  it('Node raises the soft descriptor limit to the hard one: a controller started at 256 of 4096 runs at 4096', async () => {
    ctl = await startController(fx.sb, ['--resync', '60s'], {}, ['prlimit', '--nofile=256:4096']);
    expect(fdLine(ctl.proc.pid!)).toMatch(/\s4096\s+4096\s/);
  });
});
