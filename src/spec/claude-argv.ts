// Builds the argv of a Claude Code agent from the spec's claude preset (pure).
import type { Claude } from './schema.js';

/** Folder under ~/.claude/projects where Claude Code keeps a workdir's transcripts. */
export function transcriptFolderNames(workdir: string): string[] {
  const slashes = workdir.replaceAll('/', '-');
  const allPunct = workdir.replace(/[^A-Za-z0-9]/g, '-');
  return slashes === allPunct ? [slashes] : [slashes, allPunct];
}

/** `claude [--model M] [session flag] [flags...] [--channels ...]`. `hasTranscript` says whether
 * an earlier transcript exists for the workdir (only `continue-or-new` looks at it). */
export function claudeArgv(c: Claude, hasTranscript: boolean): string[] {
  const argv = [c.binary];
  if (c.model) argv.push('--model', c.model);
  if (c.session === 'continue' || (c.session === 'continue-or-new' && hasTranscript)) argv.push('--continue');
  if (c.session === 'resume') argv.push('--resume', c.resumeId);
  argv.push(...c.flags);
  if (c.channels.length > 0) argv.push('--channels', ...c.channels);
  return argv;
}
