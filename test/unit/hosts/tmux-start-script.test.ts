// A remote start batch: names in the argv, environments (secrets) only in the launch files on stdin.
import { describe, expect, it } from 'vitest';
import { remoteStartBatch } from '../../../src/hosts/tmux-start-script.js';

describe('remoteStartBatch', () => {
  it('frames each launch file, then the tmux lines, with no value in the argv', () => {
    const b = remoteStartBatch({
      socket: 'sock',
      runDir: '/home/u/run',
      owner: 'me',
      items: [
        {
          name: 'a',
          token: 'tok1aaaaaaaaaa',
          hash: 'f'.repeat(64),
          env: { API_TOKEN: 's3cret' },
          workdir: '/home/u/w',
          argv: ['echo', '$(x)'],
        },
        { name: 'b', token: 'tok2aaaaaaaaaa', hash: 'e'.repeat(64), env: {}, workdir: '/w', argv: ['true'] },
      ],
    });
    expect(b.argv.slice(2)).toEqual(['agentctl-start', 'sock', '/home/u/run', '2', 'a', 'b']);
    expect(b.argv.join(' ')).not.toContain('s3cret');
    const first = "export API_TOKEN='s3cret'\ncd -- '/home/u/w' && set -- 'echo' '$(x)'\n";
    expect(b.input.startsWith(`${Buffer.byteLength(first)} a.tok1aaaaaaaaaa.launch\n${first}`)).toBe(true);
    expect(b.input).toMatch(/\nset-option -g remain-on-exit on\n/);
    expect(
      b.input
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('new-session')).length,
    ).toBe(2);
    expect(b.launchFiles.get('b')).toBe('/home/u/run/b.tok2aaaaaaaaaa.launch');
  });
});
