// One tmux server on a private socket, reached through an executor: every call has a timeout.
import type { ExecResult, Executor } from '../../exec/executor.js';
import { runTool } from '../run-tool.js';
import { RuntimeError } from '../types.js';
import {
  isNoServer,
  isServerGone,
  LIST_FORMAT,
  parseEnvironmentNames,
  parseSessions,
  type SessionRow,
} from './commands.js';

const HINT = 'install tmux, e.g. apt-get install tmux';
/** Reads answer in milliseconds even with 1000 sessions; a server that does not answer in this
 * long is stopped or wedged, and the observation fails (it is never read as "no sessions"). */
const READ_TIMEOUT_MS = 10_000;

export class TmuxClient {
  constructor(
    readonly exec: Executor,
    readonly socket: string,
    /** The client's whole environment. The first client starts the server, and the server's
     * environment is what every pane inherits: given the agents' base environment, nothing of
     * the controller's own (or of whichever shell ran it) reaches an agent. */
    private readonly env?: Record<string, string>,
  ) {}

  /** A call that meets the server as it exits (its last session stopped a moment ago, as in a
   * recreate of the only agent) ran nowhere: it is made once more, and finds no server or a new one. */
  async run(args: readonly string[], options: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    const once = () =>
      runTool(this.exec, 'tmux', 'tmux', ['-u', '-L', this.socket, ...args], HINT, {
        timeoutMs: READ_TIMEOUT_MS,
        ...(this.env ? { env: this.env } : {}),
        ...options,
      });
    const r = await once();
    return r.exitCode !== 0 && isServerGone(r.stderr) ? once() : r;
  }

  /** Names in the server's global environment that are not in `keep` (a server someone else
   * started carries their environment): none without a server, null if the server did not tell. */
  async foreignEnvironment(keep: ReadonlySet<string>): Promise<string[] | null> {
    // A short wait: the start that follows has its own timeout and says what a server that does
    // not answer means; this check must not add its own 10 s to that.
    const r = await this.run(['show-environment', '-g'], { timeoutMs: 2000 }).catch(() => undefined);
    if (!r) return null;
    if (r.exitCode !== 0) return isNoServer(r.stderr) ? [] : null;
    return parseEnvironmentNames(r.stdout).filter((n) => !keep.has(n));
  }

  /** Every session on the socket, with what one list-sessions tells of it; none without a server. */
  async listSessions(): Promise<SessionRow[]> {
    const r = await this.run(['list-sessions', '-F', LIST_FORMAT]);
    if (r.exitCode !== 0) {
      if (isNoServer(r.stderr)) return [];
      throw new RuntimeError(`tmux list-sessions failed: ${r.stderr.trim()}`, {
        runtime: 'tmux',
        exitCode: r.exitCode,
        stderr: r.stderr,
      });
    }
    return parseSessions(r.stdout);
  }
}
