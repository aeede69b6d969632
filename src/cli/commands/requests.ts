// agentctl restart / suspend / resume: hand the request to the running controller, or carry it out.
import { userInfo } from 'node:os';
import { access } from 'node:fs/promises';
import { LockHeldError, tryLock } from '../../engine/lock.js';
import { writeRequest, type AgentRequest, type RequestType } from '../../registry/requests.js';
import { applyRequest } from '../../../controllers/agent/apply-request.js';
import { emptyRecord } from '../../registry/record.js';
import { convergeOnce, load } from '../../../controllers/agent/pipeline.js';
import { placementOf } from '../../../controllers/agent/placement.js';
import { agentDeps } from '../agent-deps.js';
import { createContext, type GlobalOptions } from '../context.js';
import { ExitError } from '../exit.js';
import { requireSelection, selectAgents } from '../select-agents.js';

const PICKUP_WAIT_MS = 10_000;

/** The agents named in a message: all of them when few, else how many. */
const listed = (names: readonly string[]): string => (names.length <= 10 ? names.join(', ') : `${names.length} agents`);

export async function request(
  g: GlobalOptions,
  type: RequestType,
  given: string[],
  opts: Record<string, unknown>,
): Promise<void> {
  const selection = {
    names: given,
    selector: typeof opts.selector === 'string' ? opts.selector : undefined,
    all: opts.all === true,
  };
  requireSelection(selection, type, type !== 'restart');
  const ctx = createContext(g);
  const d = agentDeps(ctx, { settleMs: 1000 });
  await load(d);
  const picked = selectAgents(d.desired.specs, d.records.view, selection);
  if (picked.unknown.length > 0) throw new ExitError(1, `unknown agent(s): ${picked.unknown.join(', ')}`);
  // resume --all resumes what is suspended; the others need nothing.
  const names =
    type === 'resume' && selection.all ? picked.names.filter((n) => d.records.get(n)?.suspended) : picked.names;
  if (names.length === 0) {
    if (selection.selector !== undefined) throw new ExitError(1, `no agent matches -l ${selection.selector}`);
    process.stdout.write(type === 'resume' ? 'no agent is suspended\n' : 'no agents\n');
    return;
  }
  const req: AgentRequest = {
    type,
    names,
    stop: opts.stop === true,
    at: Date.now(),
    from: `${userInfo().username} (pid ${process.pid})`,
  };
  const verb = type === 'restart' ? 'restart' : type === 'suspend' ? `suspend${req.stop ? ' --stop' : ''}` : 'resume';

  let lock;
  try {
    lock = await tryLock(ctx.stateDir, ctx.host, `agentctl ${verb}`);
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw stateDirError(`cannot take the lock in ${ctx.stateDir}`, err);
    // A controller runs: leave the request for it and wait until it has taken it.
    const file = await writeRequest(ctx.stateDir, req).catch((e: unknown) => {
      throw stateDirError(`cannot leave the ${verb} request in ${ctx.stateDir}`, e);
    });
    const deadline = Date.now() + PICKUP_WAIT_MS;
    while (Date.now() < deadline) {
      try {
        await access(file);
      } catch {
        process.stdout.write(
          `${verb} of ${listed(names)} handed to the controller (pid ${err.holder?.pid ?? '?'} on ${err.holder?.host ?? '?'})\n`,
        );
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(
      `${verb} of ${listed(names)} requested; the controller (pid ${err.holder?.pid ?? '?'}) has not picked it up yet\n`,
    );
    return;
  }
  // No controller: carry it out here, under the lock.
  try {
    for (const name of names) {
      const desired = d.desired.get(name);
      const rec = d.records.get(name) ?? {
        ...emptyRecord(name, desired?.spec.runtime ?? 'tmux', ctx.owner, Date.now()),
        ...placementOf(desired),
      };
      await d.records.save(applyRequest(rec, req)).catch((e: unknown) => {
        throw stateDirError(`cannot record the ${verb} of ${name} in ${ctx.stateDir}`, e);
      });
    }
    const summary = await convergeOnce(d, { deadlineMs: Date.now() + 60_000, only: new Set(names), loaded: true });
    for (const o of summary.outcomes)
      process.stdout.write(`${o.name}: ${verb} done: ${o.phase}${o.message ? ` (${o.message})` : ''}\n`);
    if (summary.outcomes.some((o) => !o.converged)) throw new ExitError(1);
  } finally {
    await d.hosts?.close();
    await lock.release();
  }
}

/** A state dir that cannot be written (read-only, full, immutable): one line, exit 2, no stack. */
function stateDirError(what: string, err: unknown): ExitError {
  return new ExitError(2, `${what}: ${err instanceof Error ? err.message : String(err)}`);
}
