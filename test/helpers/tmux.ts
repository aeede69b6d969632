// A private tmux server per test: a random -L socket, killed (and waited for) afterwards.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseMark } from '../../src/runtime/tmux/marks.js';

export interface TestTmux {
  socket: string;
  /** Runs a tmux command on the private socket; never throws. */
  run(...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  sessions(): Promise<Map<string, { pid: number; dead: boolean; hash: string }>>;
  kill(): Promise<void>;
}

export function testTmux(): TestTmux {
  const socket = `agentctl-test-${randomBytes(5).toString('hex')}`;
  const run = async (...args: string[]) => {
    const r = await execa('tmux', ['-u', '-L', socket, ...args], { reject: false });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  return {
    socket,
    run,
    async sessions() {
      const r = await run(
        'list-sessions',
        '-F',
        '#{session_name}\t#{pane_pid}\t#{pane_dead}\t#{@agentctl-hash}\t#{pane_start_command}',
      );
      const out = new Map<string, { pid: number; dead: boolean; hash: string }>();
      if (r.exitCode !== 0) return out;
      for (const line of r.stdout.split('\n').filter(Boolean)) {
        const [name, pid, dead, legacyHash, ...cmd] = line.split('\t');
        // The hash rides in the start command's mark; sessions of older versions carry an option.
        out.set(name!, {
          pid: Number(pid),
          dead: dead === '1',
          hash: parseMark(cmd.join('\t'))?.hash ?? legacyHash ?? '',
        });
      }
      return out;
    },
    async kill() {
      await run('kill-server');
      // kill-server returns before the server is gone: wait until the socket stops answering,
      // then remove the socket file tmux leaves behind.
      for (let i = 0; i < 100; i++) {
        if ((await run('list-sessions')).exitCode !== 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const dir = join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
      rmSync(join(dir, socket), { force: true });
    },
  };
}
