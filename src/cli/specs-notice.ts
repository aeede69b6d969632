// Says once that the specs folder does not exist (and once when it appears), so a controller or a
// command pointed at the wrong folder is never silently empty.
import { resolve } from 'node:path';
import type { Logger } from 'pino';

export type FolderChange = 'missing' | 'appeared' | null;

/** What to say when the folder's existence is seen again: only the changes (pure). */
export function folderChange(before: boolean | undefined, now: boolean): FolderChange {
  if (!now && before !== false) return 'missing';
  if (now && before === false) return 'appeared';
  return null;
}

export function missingFolderText(specsDir: string): string {
  return `specs folder ${resolve(specsDir)} does not exist: no agents are declared (create it, or point --specs / AGENTCTL_SPECS at your specs)`;
}

/** Remembers what was last said; `check` logs a warning when the folder goes missing (or is
 * missing at the start) and an info line when it appears. */
export class SpecsFolderNotice {
  private seen: boolean | undefined;

  constructor(private readonly log: Logger) {}

  check(specsDir: string, exists: boolean): FolderChange {
    const change = folderChange(this.seen, exists);
    this.seen = exists;
    if (change === 'missing') this.log.warn({ specs: resolve(specsDir) }, missingFolderText(specsDir));
    if (change === 'appeared') this.log.info({ specs: resolve(specsDir) }, 'specs folder appeared');
    return change;
  }
}
