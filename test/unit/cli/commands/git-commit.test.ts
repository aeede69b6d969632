// Reading a checkout's commit from .git files: a plain repository, a worktree, packed refs, detached HEAD.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitCommit } from '../../../../src/cli/commands/git-commit.js';
import { removeTree } from '../../../helpers/remove-tree.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
let dir: string;
afterEach(() => removeTree(dir));

function files(tree: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-git-'));
  for (const [p, content] of Object.entries(tree)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

describe('gitCommit', () => {
  it.each<[string, Record<string, string>, string, string | null]>([
    [
      'a loose branch ref',
      { 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/.git/refs/heads/main': `${A}\n` },
      'repo',
      A,
    ],
    [
      'a packed ref',
      {
        'repo/.git/HEAD': 'ref: refs/heads/main\n',
        'repo/.git/packed-refs': `# pack-refs\n${B} refs/heads/other\n${A} refs/heads/main\n`,
      },
      'repo',
      A,
    ],
    ['a detached HEAD', { 'repo/.git/HEAD': `${B}\n` }, 'repo', B],
    [
      'a worktree (refs in the common dir)',
      {
        'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n',
        'main/.git/worktrees/wt/HEAD': 'ref: refs/heads/web\n',
        'main/.git/worktrees/wt/commondir': '../..\n',
        'main/.git/refs/heads/web': `${B}\n`,
      },
      'wt',
      B,
    ],
    ['no checkout', { 'pkg/package.json': '{}' }, 'pkg', null],
    ['an unborn branch', { 'repo/.git/HEAD': 'ref: refs/heads/main\n' }, 'repo', null],
  ])('%s', async (_what, tree, root, commit) => {
    expect(await gitCommit(join(files(tree), root))).toBe(commit);
  });
});
