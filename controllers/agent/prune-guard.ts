// The mass-prune guard: when pruning is refused (missing or empty folder, too many at once, broken files).

export interface PruneGuardInput {
  folderExists: boolean;
  /** Spec files found in the folder (valid or not). */
  fileCount: number;
  /** Agents this controller owns (registry and owner marks). */
  owned: number;
  /** Owned agents whose spec is gone (or placed elsewhere). */
  toPrune: number;
  invalidFiles: number;
  allowMassPrune: boolean;
}

/** Why prunes are refused, or undefined when they may go ahead. */
export function pruneBlockedReason(g: PruneGuardInput): string | undefined {
  if (g.toPrune === 0) return undefined;
  // A spec that moved into a broken file would look deleted: never prune while any file is broken.
  if (g.invalidFiles > 0)
    return `${g.invalidFiles} spec file(s) failed to load; fix them first (prunes never happen while specs are invalid)`;
  if (g.allowMassPrune) return undefined;
  if (!g.folderExists) return 'the specs folder is missing; pass --allow-mass-prune to prune everything';
  if (g.fileCount === 0) return 'the specs folder is empty; pass --allow-mass-prune to prune everything';
  // Pruning a single agent is never "mass"; more than half of the owned ones at once is.
  if (g.toPrune > 1 && g.toPrune * 2 > g.owned) {
    return `would prune ${g.toPrune} of ${g.owned} owned agents at once (more than half); pass --allow-mass-prune if that is intended`;
  }
  return undefined;
}
