// Builds the argv of a Claude Code agent from the spec's claude preset (pure).
import type { Claude } from './schema.js';
import { expandHome } from '../util/paths.js';

/** Folder under ~/.claude/projects where Claude Code keeps a workdir's transcripts. */
export function transcriptFolderNames(workdir: string): string[] {
  const slashes = workdir.replaceAll('/', '-');
  const allPunct = workdir.replace(/[^A-Za-z0-9]/g, '-');
  return slashes === allPunct ? [slashes] : [slashes, allPunct];
}

/** What the argv depends on besides the preset. */
export interface ClaudeArgvContext {
  /** Minutes since the newest non-empty transcript of the workdir was written; undefined when
   * there is none. Only `continue-or-new` looks at it. */
  transcriptAgeMinutes: number | undefined;
  /** The $HOME that `~` in addDirs stands for (the argv is never passed through a shell). */
  home: string;
}

/** True when `continue-or-new` continues: a transcript exists, and is recent enough when
 * continueMaxAgeMinutes is set (0 means any age). */
export function shouldContinue(c: Claude, transcriptAgeMinutes: number | undefined): boolean {
  if (transcriptAgeMinutes === undefined) return false;
  return c.continueMaxAgeMinutes === 0 || transcriptAgeMinutes <= c.continueMaxAgeMinutes;
}

function sessionFlags(c: Claude, transcriptAgeMinutes: number | undefined): string[] {
  switch (c.session) {
    case 'new':
      return [];
    case 'continue':
      return ['--continue'];
    case 'continue-or-new':
      return shouldContinue(c, transcriptAgeMinutes) ? ['--continue'] : [];
    case 'resume':
      // Without an id the older tool continued the most recent conversation; so does agentctl.
      return c.resumeId === '' ? ['--continue'] : ['--resume', c.resumeId];
  }
}

/**
 * `claude [--model M] [session flag] [flags...] [--add-dir D]... [--channels C...]`.
 *
 * Claude Code declares `--add-dir <directories...>` and `--channels <servers...>` as variadic
 * options ("space-separated"): each takes every following argument up to the next one starting
 * with `-`. So they come last, after the user's flags, where nothing positional can follow and be
 * swallowed; `--add-dir` is repeated per entry (variadic options accumulate), and the channels go
 * after a single `--channels`, as Claude Code's documentation writes them.
 */
export function claudeArgv(c: Claude, ctx: ClaudeArgvContext): string[] {
  const argv = [c.binary];
  if (c.model) argv.push('--model', c.model);
  argv.push(...sessionFlags(c, ctx.transcriptAgeMinutes));
  argv.push(...c.flags);
  for (const dir of c.addDirs) argv.push('--add-dir', expandHome(dir, ctx.home));
  if (c.channels.length > 0) argv.push('--channels', ...c.channels);
  return argv;
}
