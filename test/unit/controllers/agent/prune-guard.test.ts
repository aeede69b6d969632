// The mass-prune guard: when pruning is refused (missing/empty folder, more than half at once, broken files).
import { describe, expect, it } from 'vitest';
import { pruneBlockedReason, type PruneGuardInput } from '../../../../controllers/agent/prune-guard.js';

const base: PruneGuardInput = {
  folderExists: true,
  fileCount: 10,
  owned: 10,
  toPrune: 1,
  invalidFiles: 0,
  allowMassPrune: false,
};

describe('pruneBlockedReason', () => {
  it.each<{ case: string; in: Partial<PruneGuardInput>; blocked: RegExp | null }>([
    { case: 'one of ten: allowed', in: {}, blocked: null },
    {
      case: 'nothing to prune: never blocked, even with an empty folder',
      in: { toPrune: 0, fileCount: 0, folderExists: false },
      blocked: null,
    },
    {
      case: 'nothing to prune, broken files: not blocked (there is nothing to refuse)',
      in: { toPrune: 0, invalidFiles: 2 },
      blocked: null,
    },
    { case: 'exactly half: allowed', in: { owned: 10, toPrune: 5 }, blocked: null },
    {
      case: 'more than half: refused',
      in: { owned: 10, toPrune: 6 },
      blocked: /would prune 6 of 10 owned agents at once \(more than half\); pass --allow-mass-prune/,
    },
    { case: 'all of them: refused', in: { owned: 3, toPrune: 3 }, blocked: /would prune 3 of 3/ },
    { case: 'a single agent, even the only one: allowed', in: { owned: 1, toPrune: 1 }, blocked: null },
    { case: 'one of two: allowed', in: { owned: 2, toPrune: 1 }, blocked: null },
    { case: 'two of three: refused', in: { owned: 3, toPrune: 2 }, blocked: /more than half/ },
    {
      case: 'folder missing: refused',
      in: { folderExists: false, fileCount: 0 },
      blocked: /specs folder is missing; pass --allow-mass-prune/,
    },
    { case: 'folder empty: refused', in: { fileCount: 0 }, blocked: /specs folder is empty; pass --allow-mass-prune/ },
    {
      case: 'more than half, allowed by the flag',
      in: { owned: 10, toPrune: 10, allowMassPrune: true },
      blocked: null,
    },
    {
      case: 'empty folder, allowed by the flag',
      in: { fileCount: 0, toPrune: 10, allowMassPrune: true },
      blocked: null,
    },
    {
      case: 'missing folder, allowed by the flag',
      in: { folderExists: false, fileCount: 0, toPrune: 10, allowMassPrune: true },
      blocked: null,
    },
    { case: 'a broken file: refused', in: { invalidFiles: 1 }, blocked: /1 spec file\(s\) failed to load/ },
    {
      case: 'a broken file: refused even with --allow-mass-prune',
      in: { invalidFiles: 2, allowMassPrune: true },
      blocked: /2 spec file\(s\) failed to load/,
    },
  ])('$case', ({ in: i, blocked }) => {
    const r = pruneBlockedReason({ ...base, ...i });
    if (blocked === null) expect(r).toBeUndefined();
    else expect(r).toMatch(blocked);
  });
});
