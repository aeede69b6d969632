// The hook runner against real processes: order, environment, preStart failure, timeouts that
// kill the whole process group, and secrets kept out of outcomes.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessHookRunner } from '../../../src/hooks/runner.js';
import type { HookContext } from '../../../src/hooks/types.js';
import { AgentSpecBody, type HookEntry, type HookName } from '../../../src/spec/schema.js';
import { removeTree } from '../../helpers/remove-tree.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-hooks-'));
});
afterEach(() => {
  removeTree(dir);
});

const runner = (): ProcessHookRunner => new ProcessHookRunner(pino({ level: 'silent' }));

function hookContext(hook: HookName, entries: HookEntry[], extra: Partial<HookContext> = {}): HookContext {
  const spec = AgentSpecBody.parse({ command: ['true'], workdir: '/tmp', hooks: { [hook]: entries } });
  return {
    name: 'hooked',
    hook,
    spec,
    specFile: '/specs/hooked.yaml',
    specHash: 'abc123',
    workdir: '/tmp',
    env: {},
    secrets: [],
    ...extra,
  };
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

describe('hook runner: processes', () => {
  it('runs entries in order with the documented environment and workdir', async () => {
    const order = join(dir, 'order');
    const envOut = join(dir, 'env');
    const ctx = hookContext(
      'postStart',
      [
        `echo first >> ${order}; env > ${envOut}; pwd > ${dir}/pwd`,
        { shell: `echo second >>${order}` },
        { exec: ['sh', '-c', 'echo third >> "$1"', 'sh', order] },
      ],
      { workdir: dir, env: { AGENT_ONLY: 'from-agent', PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    );
    const outcomes = await runner().run(ctx);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    expect(outcomes.map((o) => o.entry)).toEqual([
      `sh: ${`echo first >> ${order}`.slice(0, 40)}…`,
      `sh: ${`echo second >>${order}`.slice(0, 40)}…`,
      'exec: sh',
    ]);
    expect(readFileSync(order, 'utf8')).toBe('first\nsecond\nthird\n');
    const env = Object.fromEntries(
      readFileSync(envOut, 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env).toMatchObject({
      AGENTCTL_AGENT: 'hooked',
      AGENTCTL_HOOK: 'postStart',
      AGENTCTL_SPEC_FILE: '/specs/hooked.yaml',
      AGENTCTL_WORKDIR: dir,
      AGENT_ONLY: 'from-agent',
    });
    // The controller's own environment is underneath.
    expect(env.HOME).toBe(process.env.HOME);
    expect(readFileSync(join(dir, 'pwd'), 'utf8').trim()).toBe(dir);
  });

  it('runs from / when the workdir does not exist yet', async () => {
    const out = join(dir, 'pwd');
    const [o] = await runner().run(hookContext('preStart', [`pwd > ${out}`], { workdir: join(dir, 'missing') }));
    expect(o?.ok).toBe(true);
    expect(readFileSync(out, 'utf8').trim()).toBe('/');
  });

  it('stops a preStart at the first failing entry and reports it', async () => {
    const marker = join(dir, 'after');
    const outcomes = await runner().run(
      hookContext('preStart', ['echo one', 'echo about to fail; exit 1', `touch ${marker}`]),
    );
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toMatchObject({ ok: true, exitCode: 0, outputTail: 'one' });
    expect(outcomes[1]).toMatchObject({ ok: false, exitCode: 1, timedOut: false, outputTail: 'about to fail' });
    expect(existsSync(marker)).toBe(false);
  });

  it('runs every entry of other hooks even after a failure', async () => {
    const marker = join(dir, 'after');
    const outcomes = await runner().run(hookContext('postStop', ['exit 3', `touch ${marker}`]));
    expect(outcomes.map((o) => [o.ok, o.exitCode])).toEqual([
      [false, 3],
      [true, 0],
    ]);
    expect(existsSync(marker)).toBe(true);
  });

  it('reports a program that does not exist without throwing', async () => {
    const [o] = await runner().run(hookContext('postStart', [{ exec: ['/nonexistent/agentctl-hook'] }]));
    expect(o).toMatchObject({ ok: false, exitCode: null, timedOut: false, entry: 'exec: /nonexistent/agentctl-hook' });
    expect(o?.error).toMatch(/ENOENT/);
  });

  it('kills the whole process group at the timeout, grandchildren included', async () => {
    const pids = join(dir, 'pids');
    const script = `echo $$ > ${pids}; sleep 1000 & echo $! >> ${pids}; sh -c 'sleep 1000 & wait' & echo $! >> ${pids}; echo started; wait`;
    const t0 = Date.now();
    const outcomes = await runner().run(hookContext('preStart', [{ shell: script, timeoutSeconds: 1 }, 'echo never']));
    const elapsed = Date.now() - t0;
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ ok: false, timedOut: true, exitCode: null, outputTail: 'started' });
    expect(outcomes[0]?.error).toMatch(/timed out after 1s/);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2_500);
    const listed = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(listed).toHaveLength(3);
    // Every process of the group, found by its group id, is gone too (the nested sh's sleep).
    const group = listed[0]!;
    expect(await waitUntil(() => listed.every((p) => !isAlive(p)) && groupMembers(group).length === 0, 2_000)).toBe(
      true,
    );
  });

  it('kills an exec entry that ignores SIGTERM at its timeout', async () => {
    const t0 = Date.now();
    const [o] = await runner().run(
      hookContext('postStart', [
        { exec: ['sh', '-c', "trap '' TERM; while :; do sleep 1; done"], timeoutSeconds: 0.5 },
      ]),
    );
    expect(o).toMatchObject({ ok: false, timedOut: true });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('lets a hook leave a background process behind without waiting for it', async () => {
    const pidFile = join(dir, 'bg');
    const t0 = Date.now();
    const [o] = await runner().run(
      hookContext('postStart', [{ shell: `sleep 30 & echo $! > ${pidFile}; echo done`, timeoutSeconds: 10 }]),
    );
    expect(o).toMatchObject({ ok: true, outputTail: 'done' });
    expect(Date.now() - t0).toBeLessThan(2_000);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('keeps only the tail of long output', async () => {
    const [o] = await runner().run(
      hookContext('postStart', ['for i in $(seq 1 100); do echo line $i; done; echo err >&2']),
    );
    expect(o?.outputTail).toBe('line 97\nline 98\nline 99\nline 100\nerr');
    const [big] = await runner().run(hookContext('postStart', ["head -c 5000 /dev/zero | tr '\\0' x"]));
    expect(big?.outputTail.length).toBeLessThanOrEqual(500);
  });

  it('never shows a secret a hook prints, in the tail, the error or the entry', async () => {
    const secret = 'sk-live-9f8e7d6c5b4a';
    const ctx = hookContext(
      'postStop',
      [
        `echo "token is $API_TOKEN"; echo "$API_TOKEN" >&2; exit 2`,
        { shell: `echo ${secret}`, timeoutSeconds: 5 },
        { exec: [`/nonexistent/${secret}`] },
      ],
      { env: { API_TOKEN: secret }, secrets: [secret] },
    );
    const outcomes = await runner().run(ctx);
    expect(outcomes).toHaveLength(3);
    expect(outcomes[0]?.outputTail).toBe('token is <redacted>\n<redacted>');
    expect(JSON.stringify(outcomes)).not.toContain(secret);
    expect(JSON.stringify(outcomes)).not.toContain(secret.slice(-8));
  });
});

/** A zombie (state Z) counts as gone: it runs nothing, and PID 1 here may never reap it. */
function isAlive(pid: number): boolean {
  const state = procStat(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Processes of the process group `pgid` (field 5 of /proc/PID/stat), zombies excluded. */
function groupMembers(pgid: number): number[] {
  const pids = readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
  return pids.filter((p) => {
    const fields = procStat(p);
    return fields !== undefined && Number(fields[2]) === pgid && fields[0] !== 'Z';
  });
}

/** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, ... */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
