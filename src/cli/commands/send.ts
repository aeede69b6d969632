// agentctl send NAME TEXT...: types TEXT literally, then Enter, into a running agent's terminal.
import { typeLine } from '../../claude/keys.js';
import { holdsSecret, typeKeys } from '../../../controllers/agent/session/typing.js';
import { readEnvFiles } from '../../workspace/prepare.js';
import { secretValues } from '../../spec/secrets.js';
import { agentRuntimesOf, type AgentRuntime } from '../agent-runtime.js';
import { createContext, type Context, type GlobalOptions } from '../context.js';
import type { DesiredAgent } from '../../spec/load.js';
import type { AgentRecord } from '../../registry/record.js';
import { ExitError } from '../exit.js';
import { loadStatus } from '../status-load.js';

/** Talks to the runtime directly: works the same whether or not a controller runs. */
export async function send(g: GlobalOptions, name: string, words: string[]): Promise<void> {
  const ctx = createContext(g);
  const { specs, records } = await loadStatus(ctx);
  const desired = specs.agents.get(name);
  const rec = records.get(name);
  if (!desired && !rec) throw new ExitError(1, `unknown agent: ${name}`);
  // Here or on the agent's Host: the same lookup logs and attach use.
  const found = await agentRuntimesOf(ctx, [name]);
  try {
    await typeInto(ctx, found.byName.get(name)!, name, words, desired, rec);
  } finally {
    await found.close();
  }
}

async function typeInto(
  ctx: Context,
  { key, rt }: AgentRuntime,
  name: string,
  words: string[],
  desired: DesiredAgent | undefined,
  rec: AgentRecord | undefined,
): Promise<void> {
  // A Slurm job has a terminal only when it is interactive or runs inside an allocation.
  const batch = desired !== undefined && !rt.capabilities.hasTerminal(desired.spec);
  if (!rt.sendKeys || batch)
    throw new ExitError(1, `${name} runs as a ${key} batch job: it has no terminal to type into`);
  if (desired?.spec.state === 'Stopped' || rec?.phase === 'Stopped' || rec?.suspendStop)
    throw new ExitError(1, `${name} is Stopped: there is no terminal to type into`);
  const o = (await rt.observe()).agents.get(name);
  const ours = o !== undefined && (o.owner === ctx.owner || (rec?.handle ?? null) === o.handle);
  if (!o || !ours) throw new ExitError(1, `${name} is not running: there is no terminal to type into`);
  if (!o.alive) throw new ExitError(1, `${name} has exited: there is no terminal to type into`);
  const text = words.join(' ');
  // What an agent keeps secret (envFiles values, *TOKEN*/*KEY*... env values) is never typed
  // where its screen, its scrollback and `agentctl logs` would show it.
  if (desired) {
    const fromFiles = await readEnvFiles(desired, ctx.home).catch(() => ({}));
    if (holdsSecret(text, secretValues(desired.spec.env, fromFiles)))
      throw new ExitError(1, `refusing to type into ${name}: the text holds a secret value of its environment`);
  }
  try {
    await typeKeys(rt, name, typeLine(text));
  } catch (err) {
    throw new ExitError(1, `cannot type into ${name}: ${(err as Error).message}`);
  }
  process.stdout.write(`typed ${text.length} character(s) and Enter into ${name}\n`);
}
