// The pure parts of worktrees: branch names, clone folders, git's porcelain output, the uncommitted summary.
import { describe, expect, it } from 'vitest';
import {
  branchFor,
  cloneDirFor,
  describeChanges,
  parseStatus,
  parseWorktreeList,
} from '../../../src/workspace/worktree-parse.js';

describe('branchFor', () => {
  it.each([
    ['agent/{name}', 'web', 'agent/web'],
    ['{name}', 'a-b', 'a-b'],
    ['work/{name}/{name}', 'x', 'work/x/x'],
    ['fixed', 'x', 'fixed'],
  ])('%s for %s is %s', (t, n, want) => expect(branchFor(t, n)).toBe(want));
});

describe('cloneDirFor', () => {
  it.each([
    ['https://github.com/org/app.git', /^\/h\/\.cache\/agentctl\/repos\/app-[0-9a-f]{12}\.git$/],
    ['git@github.com:org/app', /^\/h\/\.cache\/agentctl\/repos\/app-[0-9a-f]{12}\.git$/],
    ['file:///srv/repos/tool/', /^\/h\/\.cache\/agentctl\/repos\/tool-[0-9a-f]{12}\.git$/],
    ['ssh://h/we ird$name', /^\/h\/\.cache\/agentctl\/repos\/we_ird_name-[0-9a-f]{12}\.git$/],
  ])('%s', (url, want) => expect(cloneDirFor(url, '/h')).toMatch(want));

  it('gives two URLs with the same last part two folders', () => {
    expect(cloneDirFor('https://a/x/app', '/h')).not.toBe(cloneDirFor('https://b/y/app', '/h'));
  });
});

describe('parseWorktreeList (porcelain -z)', () => {
  it('reads paths (also with newlines), branches, detached, bare and prunable entries', () => {
    const out = [
      'worktree /srv/repo',
      'HEAD 1111',
      'branch refs/heads/main',
      '',
      'worktree /w/odd\nname',
      'HEAD 2222',
      'branch refs/heads/agent/odd',
      '',
      'worktree /w/detached',
      'HEAD 3333',
      'detached',
      '',
      'worktree /w/gone',
      'HEAD 4444',
      'branch refs/heads/agent/gone',
      'prunable gitdir file points to non-existent location',
      '',
      '',
    ].join('\0');
    expect(parseWorktreeList(out)).toEqual([
      { path: '/srv/repo', branch: 'refs/heads/main', bare: false, prunable: false },
      { path: '/w/odd\nname', branch: 'refs/heads/agent/odd', bare: false, prunable: false },
      { path: '/w/detached', bare: false, prunable: false },
      { path: '/w/gone', branch: 'refs/heads/agent/gone', bare: false, prunable: true },
    ]);
    expect(parseWorktreeList(['worktree /r.git', 'bare', '', ''].join('\0'))).toEqual([
      { path: '/r.git', bare: true, prunable: false },
    ]);
    expect(parseWorktreeList('')).toEqual([]);
  });
});

describe('parseStatus and describeChanges', () => {
  it('reads modified, untracked and renamed paths (a rename carries its source)', () => {
    const out = [' M README', '?? new file.txt', 'R  to.txt', 'from.txt', 'A  added', ''].join('\0');
    const changes = parseStatus(out);
    expect(changes).toEqual([
      { code: ' M', path: 'README' },
      { code: '??', path: 'new file.txt' },
      { code: 'R ', path: 'to.txt' },
      { code: 'A ', path: 'added' },
    ]);
    expect(describeChanges(changes)).toBe('3 modified, 1 untracked (M README, ?? new file.txt, R to.txt, A added)');
    expect(parseStatus('')).toEqual([]);
  });

  it('shows the first paths only, and escapes control characters in them', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ code: '??', path: `f${i}` }));
    expect(describeChanges(many)).toBe('8 untracked (?? f0, ?? f1, ?? f2, ?? f3, ?? f4, +3 more)');
    expect(describeChanges([{ code: ' M', path: 'a\nb' }])).toBe('1 modified (M a\\nb)');
  });
});
