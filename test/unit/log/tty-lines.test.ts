// The terminal's stderr: log lines print above the live line, which is redrawn, cut to the width, and removed at the end.
import { describe, expect, it } from 'vitest';
import { TtyLines } from '../../../src/log/tty-lines.js';

function term(columns = 40): { out: string[]; lines: TtyLines } {
  const out: string[] = [];
  return { out, lines: new TtyLines({ write: (t: string) => out.push(t), columns }, false) };
}

describe('TtyLines', () => {
  it('prints records as lines, and the live line below them', () => {
    const { out, lines } = term();
    lines.write(`${JSON.stringify({ level: 30, time: 0, msg: 'one' })}\n`);
    lines.setLive('waiting: 0/2');
    lines.setLive('waiting: 0/2'); // unchanged: not redrawn
    lines.write(`${JSON.stringify({ level: 30, time: 0, msg: 'two' })}\n`);
    lines.clearLive();
    expect(out.slice(1)).toEqual([
      '\r\u001b[2Kwaiting: 0/2',
      expect.stringMatching(/^\r\u001b\[2K\d\d:\d\d:\d\d two\nwaiting: 0\/2$/),
      '\r\u001b[2K',
    ]);
  });

  it('cuts the live line to the terminal width', () => {
    const { out, lines } = term(20);
    lines.setLive('x'.repeat(50));
    expect(out[0]).toBe(`\r\u001b[2K${'x'.repeat(18)}…`);
  });

  it('prints text that is not JSON as it is', () => {
    const { out, lines } = term();
    lines.write('not json\n');
    expect(out[0]).toMatch(/ not json\n$/);
  });
});
