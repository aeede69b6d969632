// The event tail of a hook's output and a real hook's outcome: no secret, and no piece of one.
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { outputTail } from '../../../src/hooks/output-tail.js';
import { ProcessHookRunner } from '../../../src/hooks/runner.js';
import type { HookContext } from '../../../src/hooks/types.js';
import { AgentSpecBody } from '../../../src/spec/schema.js';

describe('outputTail', () => {
  it('a secret that contains another secret leaves no fragment', () => {
    expect(outputTail('token=sk-live-abcdefgh-0123456789\n', ['sk-live', 'sk-live-abcdefgh-0123456789'])).toBe(
      'token=<redacted>',
    );
  });

  it('a multi-line secret printed line by line with CRLF is hidden', () => {
    expect(outputTail('key:\r\nMIIEvQIBADANBgkq\r\nhkiG9w0BAQEFAASC\r\n', ['MIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC'])).toBe(
      'key:\n<redacted>',
    );
  });
});

describe('a real hook', () => {
  it('prints two secrets, one inside the other: the outcome holds neither, nor a piece of either', async () => {
    const long = 'sk-live-abcdefgh-0123456789';
    const short = 'sk-live';
    const spec = AgentSpecBody.parse({
      command: ['true'],
      hooks: { postStart: [{ exec: ['sh', '-c', 'echo "$MY_TOKEN and $API_KEY"; exit 3'] }] },
    });
    const ctx: HookContext = {
      name: 'a',
      hook: 'postStart',
      spec,
      specFile: '/specs/a.yaml',
      specHash: 'h',
      workdir: '/tmp',
      env: { MY_TOKEN: long, API_KEY: short },
      secrets: [short, long],
    };
    const [outcome] = await new ProcessHookRunner(pino({ level: 'silent' })).run(ctx);
    expect(outcome?.ok).toBe(false);
    expect(outcome?.outputTail).toBe('<redacted> and <redacted>');
    expect(JSON.stringify(outcome)).not.toContain('abcdefgh');
  });
});
