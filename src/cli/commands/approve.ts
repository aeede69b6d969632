// agentctl approve / deny: answers an agent's pending permission request through Claude Code's own hook, or by keys on a verified dialog.
import { permissionDialog } from '../../claude/permission/dialog-screen.js';
import { decisionTaken, pendingRequests, writeDecision, type PendingRequest } from '../../claude/permission/pending.js';
import {
  DEFAULT_DENY_MESSAGE,
  describeRequest,
  MAX_DENY_MESSAGE,
  type Decision,
} from '../../claude/permission/requests.js';
import { typeKeys } from '../../../controllers/agent/session/typing.js';
import { activityDir } from '../../../controllers/agent/session/activity-layer.js';
import { key } from '../../claude/keys.js';
import { firstControl } from '../../terminal/send-text.js';
import { agentRuntimesOf } from '../agent-runtime.js';
import { createContext, type Context, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { knownNames } from '../select-agents.js';
import { loadStatus } from '../status-load.js';

export interface AnswerOptions {
  allWaiting?: boolean;
  message?: string;
}

/** The folder of Claude Code hook files on this machine (DESIGN §10.2). */
const claudeRunDir = activityDir;

/** A decision written is taken by the hook within a poll (0.1 s); this much for a busy machine. */
const TAKE_TIMEOUT_MS = 5000;

export async function answer(
  g: GlobalOptions,
  verb: 'approve' | 'deny',
  names: string[],
  o: AnswerOptions,
): Promise<void> {
  const decision = decisionOf(verb, o.message);
  const ctx = createContext(g);
  const { specs, records } = await loadStatus(ctx);
  const known = new Set(knownNames(specs, records));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new ExitError(1, `unknown agent: ${unknown.join(', ')}`);
  if (o.allWaiting) {
    const waiting: string[] = [];
    for (const n of known) if ((await pendingRequests(claudeRunDir(ctx.stateDir), n)).length > 0) waiting.push(n);
    if (names.length > 0) throw new ExitError(2, `${verb}: give agent names or --all-waiting, not both`);
    if (waiting.length === 0) throw new ExitError(1, 'no agent has a pending permission request');
    names = waiting;
  }
  if (names.length === 0) throw new ExitError(2, `${verb}: name the agent, or pass --all-waiting`);
  const failures: string[] = [];
  for (const name of names) {
    const line = await answerOne(ctx, name, decision).catch((err: unknown) => {
      if (err instanceof ExitError) failures.push(err.message);
      else throw err;
      return undefined;
    });
    if (line) process.stdout.write(`${line}\n`);
  }
  if (failures.length > 0) throw new ExitError(1, failures.join('\n'));
}

function decisionOf(verb: 'approve' | 'deny', message: string | undefined): Decision {
  if (verb === 'approve') {
    if (message !== undefined) throw new ExitError(2, 'approve: --message is for deny');
    return { behavior: 'allow' };
  }
  const m = message ?? DEFAULT_DENY_MESSAGE;
  const c = firstControl(m.replace(/\n/g, ' '));
  if (c) throw new ExitError(1, 'deny: the message holds a control character');
  if (m.length > MAX_DENY_MESSAGE) throw new ExitError(1, `deny: the message is over ${MAX_DENY_MESSAGE} characters`);
  return { behavior: 'deny', message: m };
}

/** The oldest pending request of the agent through its hook; else keys on a verified dialog. */
async function answerOne(ctx: Context, name: string, d: Decision): Promise<string> {
  const done = d.behavior === 'allow' ? 'approved' : 'denied';
  const pending = await pendingRequests(claudeRunDir(ctx.stateDir), name);
  const r: PendingRequest | undefined = pending[0];
  if (r) {
    await writeDecision(r, d);
    if (await decisionTaken(r, TAKE_TIMEOUT_MS)) {
      const more = pending.length > 1 ? ` (${pending.length - 1} more pending)` : '';
      return `${done} ${describeRequest(r)} for ${name}${more}`;
    }
  }
  return answerByKeys(ctx, name, d, done);
}

async function answerByKeys(ctx: Context, name: string, d: Decision, done: string): Promise<string> {
  const found = await agentRuntimesOf(ctx, [name]).catch(() => undefined);
  const at = found?.byName.get(name);
  try {
    const screen = at?.rt.capture
      ? (await at.rt.capture([name]).catch(() => new Map<string, string>())).get(name)
      : undefined;
    const dialog = permissionDialog(screen ?? '');
    if (!dialog.active) throw new ExitError(1, `${name} has no pending permission request`);
    if (d.behavior === 'allow' && !dialog.yesSelected)
      throw new ExitError(
        1,
        `${name}: the permission dialog shows, but "1. Yes" is not the selected choice; not answered`,
      );
    await typeKeys(at!.rt, name, [key(d.behavior === 'allow' ? 'Enter' : 'Escape')]);
    return `${done} the permission dialog of ${name} by keys${d.behavior === 'deny' ? ' (Escape; no message)' : ''}`;
  } finally {
    await found?.close();
  }
}
