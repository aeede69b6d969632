// One tmux server on a private socket, reached through an executor: every call has a timeout.
import type { ExecResult, Executor } from '../../exec/executor.js';
import { runTool } from '../run-tool.js';
import { RuntimeError } from '../types.js';
import { isNoServer, LIST_FORMAT, parseSessions, type SessionRow } from './commands.js';

const HINT = 'install tmux, e.g. apt-get install tmux';
/** Reads answer in milliseconds even with 1000 sessions; a server that does not answer in this
 * long is stopped or wedged, and the observation fails (it is never read as "no sessions"). */
const READ_TIMEOUT_MS = 10_000;

export class TmuxClient {
  constructor(
    readonly exec: Executor,
    readonly socket: string,
  ) {}

  run(args: readonly string[], options: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    return runTool(this.exec, 'tmux', 'tmux', ['-u', '-L', this.socket, ...args], HINT, { timeoutMs: READ_TIMEOUT_MS, ...options });
  }

  /** Every session on the socket, with what one list-sessions tells of it; none without a server. */
  async listSessions(): Promise<SessionRow[]> {
    const r = await this.run(['list-sessions', '-F', LIST_FORMAT]);
    if (r.exitCode !== 0) {
      if (isNoServer(r.stderr)) return [];
      throw new RuntimeError(`tmux list-sessions failed: ${r.stderr.trim()}`, { runtime: 'tmux', exitCode: r.exitCode, stderr: r.stderr });
    }
    return parseSessions(r.stdout);
  }
}
