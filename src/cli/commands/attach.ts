// agentctl attach: attaches the terminal to an agent (tmux; other runtimes explain what to do instead).
import type { GlobalOptions } from '../context.js';
import { agentRuntime } from '../agent-runtime.js';
import { ExitError } from '../exit.js';

export async function attach(g: GlobalOptions, name: string): Promise<void> {
  const { rt, close } = await agentRuntime(g, name);
  let code: number;
  try {
    // tmux agents (here, or over `ssh -t` on a Host) and interactive Slurm agents attach a
    // terminal (a Slurm batch job explains itself).
    if (!process.stdin.isTTY) throw new ExitError(2, 'attach needs a terminal (stdin is not a TTY)');
    try {
      code = await rt.attach(name);
    } catch (err) {
      throw new ExitError(1, (err as Error).message);
    }
  } finally {
    await close();
  }
  if (code !== 0) throw new ExitError(code);
}
