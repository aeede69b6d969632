// Which agents a command acts on: names given, a label selector (-l), or all of them (pure).
import type { AgentRecord } from '../registry/record.js';
import type { SpecSet } from '../spec/load.js';
import { matches, parseSelector, SelectorError } from './selector.js';
import { ExitError } from './exit.js';

export interface Selection {
  names: readonly string[];
  selector?: string | undefined;
  all?: boolean | undefined;
}

/** Labels live in the specs: an agent whose spec is gone has none. */
export function labelsOf(specs: SpecSet, name: string): Record<string, string> {
  return specs.agents.get(name)?.document.metadata.labels ?? {};
}

/** Every agent declared or recorded, sorted. */
export function knownNames(specs: SpecSet, records: ReadonlyMap<string, AgentRecord>): string[] {
  return [...new Set([...specs.agents.keys(), ...records.keys(), ...specs.invalidNames.keys()])].sort();
}

/** The selected names (a selector narrows names given, or all agents when none are), and the
 * names given that no agent has. A bad selector is a usage error (exit 2). */
export function selectAgents(
  specs: SpecSet,
  records: ReadonlyMap<string, AgentRecord>,
  s: Selection,
): { names: string[]; unknown: string[] } {
  let reqs;
  try {
    reqs = s.selector !== undefined ? parseSelector(s.selector) : undefined;
  } catch (err) {
    if (err instanceof SelectorError) throw new ExitError(2, err.message);
    throw err;
  }
  const known = knownNames(specs, records);
  const knownSet = new Set(known);
  const unknown = s.names.filter((n) => !knownSet.has(n));
  let names = s.names.length > 0 && !s.all ? [...new Set(s.names)].filter((n) => knownSet.has(n)) : known;
  if (reqs) names = names.filter((n) => matches(reqs, labelsOf(specs, n)));
  return { names, unknown };
}

/** The usage rule of commands that act on agents: names, -l, or --all (where offered), not none. */
export function requireSelection(s: Selection, command: string, allowAll: boolean): void {
  if (s.names.length > 0 || s.selector !== undefined || s.all) {
    if (s.all && s.names.length > 0) throw new ExitError(2, `${command}: give agent names or --all, not both`);
    return;
  }
  throw new ExitError(
    2,
    `${command}: name the agents${allowAll ? ', select them with -l key=value, or pass --all' : ' or select them with -l key=value'}`,
  );
}
