// agentctl approve / deny: answers an agent's pending permission request through Claude Code's own hook, or by keys on a verified dialog.
import {
  AnswerRefused,
  answerAgent,
  decisionOf,
  waitingAgents,
  type AnswerDeps,
  type Verb,
} from '../../claude/permission/answer.js';
import type { Decision } from '../../claude/permission/requests.js';
import { typeKeys } from '../../../controllers/agent/session/typing.js';
import { activityDir } from '../../../controllers/agent/session/activity-layer.js';
import { key } from '../../claude/keys.js';
import { agentRuntimesOf } from '../agent-runtime.js';
import { createContext, type Context, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { knownNames } from '../select-agents.js';
import { loadStatus } from '../status-load.js';

export interface AnswerOptions {
  allWaiting?: boolean;
  message?: string;
}

/** The terminal through the runtime the agent lives in (here or on its Host). */
function cliAnswerDeps(ctx: Context): AnswerDeps {
  return {
    runDir: activityDir(ctx.stateDir),
    async withTerminal(name, use) {
      const found = await agentRuntimesOf(ctx, [name]).catch(() => undefined);
      const at = found?.byName.get(name);
      try {
        return await use(
          at?.rt.capture
            ? {
                screen: async () => (await at.rt.capture!([name])).get(name),
                press: (k) => typeKeys(at.rt, name, [key(k)]),
              }
            : undefined,
        );
      } finally {
        await found?.close();
      }
    },
  };
}

export async function answer(g: GlobalOptions, verb: Verb, names: string[], o: AnswerOptions): Promise<void> {
  let decision: Decision;
  try {
    decision = decisionOf(verb, o.message);
  } catch (err) {
    if (err instanceof AnswerRefused) throw new ExitError(err.usage ? 2 : 1, err.message);
    throw err;
  }
  const ctx = createContext(g);
  const deps = cliAnswerDeps(ctx);
  const { specs, records } = await loadStatus(ctx);
  const known = new Set(knownNames(specs, records));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new ExitError(1, `unknown agent: ${unknown.join(', ')}`);
  if (o.allWaiting) {
    if (names.length > 0) throw new ExitError(2, `${verb}: give agent names or --all-waiting, not both`);
    names = await waitingAgents(deps.runDir, known);
    if (names.length === 0) throw new ExitError(1, 'no agent has a pending permission request');
  }
  if (names.length === 0) throw new ExitError(2, `${verb}: name the agent, or pass --all-waiting`);
  const failures: string[] = [];
  for (const name of names) {
    try {
      process.stdout.write(`${await answerAgent(deps, name, decision)}\n`);
    } catch (err) {
      if (err instanceof AnswerRefused) failures.push(err.message);
      else throw err;
    }
  }
  if (failures.length > 0) throw new ExitError(1, failures.join('\n'));
}
