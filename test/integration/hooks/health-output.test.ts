// A failed health check's output in its message: secrets scrubbed before the cut to 200 characters.
import { describe, expect, it } from 'vitest';
import { probe, PROBE_TAIL_CHARS } from '../../../controllers/agent/health.js';
import { createLocalExecutor } from '../../../src/exec/local.js';
import type { HealthCheck } from '../../../src/spec/schema.js';

const SECRET = 'ak-0123456789abcdef0123456789';
const check = (script: string): HealthCheck => ({
  exec: ['sh', '-c', script],
  periodSeconds: 1,
  timeoutSeconds: 5,
  failureThreshold: 1,
  initialDelaySeconds: 0,
});

describe('health check output', () => {
  it.each([185, 190, 195, 199, 150])(
    'a secret that starts at column %i leaves no fragment in the message',
    async (col) => {
      const r = await probe(
        check(`printf '%0${col}d' 0; printf '%s\\n' "$S"; exit 1`),
        createLocalExecutor(),
        '/tmp',
        { S: SECRET },
        { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        [SECRET],
      );
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^exit code 1: 0+/);
      for (let n = 4; n <= SECRET.length; n++) expect(r.message).not.toContain(SECRET.slice(0, n));
      expect(r.message.length).toBeLessThanOrEqual('exit code 1: '.length + PROBE_TAIL_CHARS);
    },
  );
});
