// Answering an agent's pending permission request: through agentctl's PermissionRequest hook, else by a key on the verified dialog; shared by `agentctl approve/deny` and the page.
import { firstControl } from '../../terminal/send-text.js';
import { permissionDialog } from './dialog-screen.js';
import { decisionTaken, pendingRequests, writeDecision } from './pending.js';
import { DEFAULT_DENY_MESSAGE, describeRequest, MAX_DENY_MESSAGE, type Decision } from './requests.js';

/** Why a request was not answered (nothing pending, a bad message): said to the person as is. */
export class AnswerRefused extends Error {
  override name = 'AnswerRefused';
  constructor(
    message: string,
    /** true: the input was bad (exit 2 / HTTP 400); false: nothing to answer (exit 1 / HTTP 409). */
    readonly usage = false,
  ) {
    super(message);
  }
}

/** The agent's terminal, for the fallback when no hook holds the request. */
export interface AgentTerminal {
  screen(): Promise<string | undefined>;
  press(key: 'Enter' | 'Escape'): Promise<void>;
}

export interface AnswerDeps {
  /** The folder of Claude Code hook files on this machine (DESIGN §10.2). */
  runDir: string;
  /** Opens the agent's terminal (undefined: it has none here); `use` runs while it is open. */
  withTerminal<T>(name: string, use: (t: AgentTerminal | undefined) => Promise<T>): Promise<T>;
}

/** A decision written is taken by the hook within a poll (0.1 s); this much for a busy machine. */
const TAKE_TIMEOUT_MS = 5000;

export type Verb = 'approve' | 'deny';

/** The decision for the verb; a deny message is checked (it becomes the tool result Claude reads). */
export function decisionOf(verb: Verb, message: string | undefined): Decision {
  if (verb === 'approve') {
    if (message !== undefined) throw new AnswerRefused('approve: --message is for deny', true);
    return { behavior: 'allow' };
  }
  const m = message ?? DEFAULT_DENY_MESSAGE;
  if (firstControl(m.replace(/\n/g, ' '))) throw new AnswerRefused('deny: the message holds a control character');
  if (m.length > MAX_DENY_MESSAGE) throw new AnswerRefused(`deny: the message is over ${MAX_DENY_MESSAGE} characters`);
  return { behavior: 'deny', message: m };
}

/** Agents (of `names`) whose hook holds a request now. */
export async function waitingAgents(runDir: string, names: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) if ((await pendingRequests(runDir, n)).length > 0) out.push(n);
  return out;
}

/** Answers the oldest pending request of the agent through its hook; else by a key on a dialog
 * verified to be the active screen. Resolves with what was done; throws AnswerRefused. */
export async function answerAgent(deps: AnswerDeps, name: string, d: Decision): Promise<string> {
  const done = d.behavior === 'allow' ? 'approved' : 'denied';
  const pending = await pendingRequests(deps.runDir, name);
  const r = pending[0];
  if (r) {
    await writeDecision(r, d);
    if (await decisionTaken(r, TAKE_TIMEOUT_MS)) {
      const more = pending.length > 1 ? ` (${pending.length - 1} more pending)` : '';
      return `${done} ${describeRequest(r)} for ${name}${more}`;
    }
  }
  return deps.withTerminal(name, async (t) => {
    const screen = t ? await t.screen().catch(() => undefined) : undefined;
    const dialog = permissionDialog(screen ?? '');
    if (!t || !dialog.active) throw new AnswerRefused(`${name} has no pending permission request`);
    if (d.behavior === 'allow' && !dialog.yesSelected)
      throw new AnswerRefused(
        `${name}: the permission dialog shows, but "1. Yes" is not the selected choice; not answered`,
      );
    await t.press(d.behavior === 'allow' ? 'Enter' : 'Escape');
    return `${done} the permission dialog of ${name} by keys${d.behavior === 'deny' ? ' (Escape; no message)' : ''}`;
  });
}
