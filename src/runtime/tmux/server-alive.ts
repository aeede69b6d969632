// Whether the tmux server on a socket answers, found without a subprocess (a connect to its socket).
import { connect } from 'node:net';
import { join } from 'node:path';

/** Where tmux puts the socket of `-L name` (tmux's own rule: $TMUX_TMPDIR or /tmp, then tmux-UID). */
export function socketPath(name: string, env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  return join(env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, name);
}

/** True when something accepts connections on the socket: a killed server leaves its socket file
 * behind, which then refuses. Costs a connect, not a tmux client. */
export function serverAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
