// Maps the old runtime (tmux, screen, slurm) and the screen section, which agentctl has no use for.
import type { RuntimeName } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { child, isMap } from './values.js';

export function mapRuntime(old: unknown, notes: Notes): RuntimeName | undefined {
  if (old === undefined) return undefined;
  const r = typeof old === 'string' ? old.trim().toLowerCase() : '';
  if (r === 'tmux' || r === 'slurm') return r;
  if (r === 'screen') {
    notes.add('runtime was screen: agentctl runs agents in tmux (attach with `agentctl attach NAME`)', ['spec', 'runtime']);
    return 'tmux';
  }
  notes.notMapped('spec.runtime', old, 'agentctl runs tmux or slurm; tmux is the default');
  return undefined;
}

/** The session name is the agent name now, so a custom screen name has nowhere to go. */
export function noteScreen(old: unknown, agentName: string, notes: Notes): void {
  if (!isMap(old)) {
    notes.notMapped('spec.screen', old, 'not a map');
    return;
  }
  for (const [key, value] of Object.entries(old)) {
    if (key === 'name') notes.add(`spec.screen.name was ${JSON.stringify(value)}: the tmux session is named after the agent (${agentName})`);
    else notes.notMapped(child('spec.screen', key), value);
  }
}
