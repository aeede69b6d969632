// Finding the README's code blocks, their marks and the agentctl commands in them (pure).
import { describe, expect, it } from 'vitest';
import { agentctlInvocations, readmeBlocks, shellCommands } from '../../helpers/readme-blocks.js';

describe('readmeBlocks', () => {
  it('finds each fenced block with its language, line and the comment before it', () => {
    const md = 'text\n<!-- fragment: part of a spec -->\n```yaml\na: 1\n```\n\n```sh\nls\n```\n';
    expect(readmeBlocks(md)).toEqual([
      { lang: 'yaml', line: 3, text: 'a: 1', mark: 'fragment: part of a spec' },
      { lang: 'sh', line: 7, text: 'ls', mark: null },
    ]);
  });
});

describe('shellCommands and agentctlInvocations', () => {
  it.each([
    ['npx agentctl get -o wide          # status', [['get', '-o', 'wide']]],
    ['agentctl completion bash > ~/x', [['completion', 'bash']]],
    ['npm ci && npx agentctl reconcile --once', [['reconcile', '--once']]],
    [
      'echo $(agentctl get -o name) | agentctl logs -n 2 a',
      [
        ['get', '-o', 'name'],
        ['logs', '-n', '2', 'a'],
      ],
    ],
    ['tmux -L agentctl kill-server', []],
    ['sed -e "s|@AGENTCTL@|x|"', []],
  ])('%s', (line, want) => {
    expect(shellCommands(line).flatMap(agentctlInvocations)).toEqual(want);
  });

  it('joins continuation lines and drops comments', () => {
    expect(shellCommands('a \\\n  b  # c\n# d\ne')).toEqual(['a b', 'e']);
  });
});
