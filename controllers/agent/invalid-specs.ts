// Which agents' specs cannot be read right now, and why: the one answer plan, get and describe give (pure).
import type { AgentRecord } from '../../src/registry/record.js';
import { formatSpecError } from '../../src/spec/errors.js';
import type { SpecSet } from '../../src/spec/load.js';

export interface InvalidSpec {
  /** The file to fix. */
  file: string;
  /** Its first error, with line and field (`a.yaml:1:1: not a regular file (a FIFO)`). */
  message: string;
}

type Specs = Pick<SpecSet, 'agents' | 'invalidNames' | 'invalidFiles' | 'errors'>;

/** The agent's spec is invalid when a file that fails to load names it, or when the file its
 * record came from fails to load without any name read from it (a symlink out of the folder, a
 * FIFO, an unreadable file): that agent is not deleted, its spec is only unreadable. */
export function invalidSpecOf(
  specs: Specs,
  name: string,
  record: Pick<AgentRecord, 'source'> | undefined,
): InvalidSpec | undefined {
  if (specs.agents.has(name)) return undefined;
  const source = record?.source ?? undefined;
  const file = specs.invalidNames.get(name) ?? (source && specs.invalidFiles.has(source) ? source : undefined);
  if (file === undefined) return undefined;
  const first = specs.errors.find((e) => e.file === file);
  return { file, message: first ? formatSpecError(first) : `${file}: failed to load (see agentctl validate)` };
}
