// describe and get -o wide never write raw escape sequences of hook output to the terminal.
import { describe, expect, it } from 'vitest';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml } from '../../helpers/cli.js';

const fx = useTmuxSandbox();

describe('terminal output of hook output', () => {
  it('OSC 52 (clipboard) and OSC 0 (title) in a failed hook show as escapes in describe', async () => {
    fx.sb.write(
      'a.yaml',
      agentYaml('a', ['sleep', '600'], {
        hooks: { postStart: [`printf '\\033]52;c;cHduZWQ=\\007\\033]0;title\\007\\233[2J'; exit 3`] },
      }),
    );
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    const d = await fx.sb.run(['describe', 'a']);
    expect(d.exitCode).toBe(0);
    expect(d.stdout).toMatch(/HookFailed/);
    expect(d.stdout).toContain('\\x1b]52;c;cHduZWQ=\\x07');
    expect(d.stdout).toContain('\\x1b]0;title\\x07');

    expect(d.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
