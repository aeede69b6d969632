// The follower on real files: new bytes only, huge / garbled / truncated / replaced files, the cap, the hook script itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localActivityFiles } from '../../../../src/claude/activity/files.js';
import { ActivityFollower, FIRST_READ_BYTES } from '../../../../src/claude/activity/follower.js';
import { HOOK_SCRIPT, STATUS_SCRIPT } from '../../../../src/claude/activity/hook-script.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-activity-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const follower = (cap = 1 << 20): ActivityFollower =>
  new ActivityFollower({
    incarnation: 'i1',
    events: join(dir, 'a.events'),
    status: join(dir, 'a.status'),
    capBytes: cap,
  });
const poll = async (f: ActivityFollower): Promise<boolean> => f.take(await localActivityFiles.readMany(f.wants()));
const line = (name: string, extra = ''): string =>
  `h i1 1700000000 {"hook_event_name":"${name}","session_id":"s"${extra}}\n`;

describe('ActivityFollower', () => {
  it('reads only what was appended, and a line being written waits for its end', async () => {
    const f = follower();
    expect(await poll(f)).toBe(false);
    expect(f.state.activity).toBe('Starting');
    writeFileSync(join(dir, 'a.events'), line('SessionStart'));
    expect(await poll(f)).toBe(true);
    expect(f.state.activity).toBe('Idle');
    const half = line('UserPromptSubmit');
    appendFileSync(join(dir, 'a.events'), half.slice(0, 20));
    expect(await poll(f)).toBe(false);
    appendFileSync(join(dir, 'a.events'), half.slice(20));
    expect(await poll(f)).toBe(true);
    expect(f.state.activity).toBe('Working');
    expect(await poll(f)).toBe(false);
  });

  it('garbled lines and lines of another incarnation (a replayed file) are skipped', async () => {
    const f = follower();
    writeFileSync(
      join(dir, 'a.events'),
      line('SessionStart') + 'xx\u0000garbage\n' + line('UserPromptSubmit').replace(' i1 ', ' i0 ') + '{"half\n',
    );
    await poll(f);
    expect(f.state.activity).toBe('Idle');
    expect(f.skipped).toBe(3);
  });

  it('a huge file is read from its tail, in bounded chunks; any hook there means the session started', async () => {
    const filler = line('PostToolUse', `,"pad":"${'x'.repeat(1000)}"`);
    writeFileSync(
      join(dir, 'a.events'),
      filler.repeat(Math.ceil((4 * FIRST_READ_BYTES) / filler.length)) + line('Stop'),
    );
    const f = follower(64 << 20);
    await poll(f);
    expect(f.state.activity).toBe('Idle');
    expect(f.state.sessionStarted).toBe(true);
  });

  it('a file that shrank was replaced: read afresh', async () => {
    const f = follower();
    writeFileSync(join(dir, 'a.events'), line('SessionStart') + line('UserPromptSubmit'));
    await poll(f);
    truncateSync(join(dir, 'a.events'), 0);
    writeFileSync(join(dir, 'a.events'), line('Stop'));
    await poll(f);
    await poll(f);
    expect(f.state.activity).toBe('Idle');
  });

  it('the status file is re-read only when it changed, and a half-written one is ignored', async () => {
    const f = follower();
    writeFileSync(join(dir, 'a.status'), 's i1 1700000000 {"session_id":"s","cost":{"total_cost_usd":0.25}}\n');
    expect(await poll(f)).toBe(true);
    expect(f.state.costUsd).toBe(0.25);
    expect(f.wants()[1]!.unless).toBeDefined();
    writeFileSync(join(dir, 'a.status'), 's i1 1700000001 {"session_id":"s","cost":{"total_');
    expect(await poll(f)).toBe(false);
    expect(f.state.costUsd).toBe(0.25);
  });
});

describe('the hook and status scripts (real sh)', () => {
  const hook = (stdin: string, cap = 1 << 20): void => {
    writeFileSync(join(dir, 'hook.sh'), HOOK_SCRIPT);
    execFileSync('sh', [join(dir, 'hook.sh'), join(dir, 'a.events'), 'i1', String(cap)], { input: stdin });
  };

  it('appends one line per event, multi-line JSON joined, readable by the follower', async () => {
    hook('{"hook_event_name":"SessionStart",\n"session_id":"s1"}');
    hook(
      '{"hook_event_name":"Notification","notification_type":"permission_prompt","message":"Claude needs your permission"}',
    );
    const f = follower();
    await poll(f);
    expect([f.state.activity, f.state.waitingFor, f.state.sessionId]).toEqual(['WaitingForInput', 'permission', 's1']);
  });

  it('stops appending at the cap, and the follower says so', async () => {
    hook('{"hook_event_name":"SessionStart"}', 60);
    hook('{"hook_event_name":"UserPromptSubmit"}', 60);
    hook('{"hook_event_name":"Stop"}', 60);
    const f = follower(60);
    await poll(f);
    expect(f.capped).toBe(true);
    expect(f.state.activity).toBe('Working');
  });

  it.each([
    { why: 'a full disk', events: () => '/dev/full' },
    { why: 'a folder where the file belongs', events: () => join(dir, 'a.events') },
    { why: 'a missing folder', events: () => join(dir, 'gone', 'a.events') },
  ])('$why: the hook exits 0 with no output (never breaks the agent), nothing is recorded', async ({ why, events }) => {
    writeFileSync(join(dir, 'hook.sh'), HOOK_SCRIPT);
    if (why.startsWith('a folder')) mkdirSync(events());
    const r = spawnSync('sh', [join(dir, 'hook.sh'), events(), 'i1', '1000'], { input: '{"hook_event_name":"Stop"}' });
    expect([r.status, r.stdout.toString(), r.stderr.toString()]).toEqual([0, '', '']);
    const f = new ActivityFollower({
      incarnation: 'i1',
      events: events(),
      status: join(dir, 'a.status'),
      capBytes: 1000,
    });
    expect(await poll(f)).toBe(false);
    expect(f.state.activity).toBe('Starting');
  });

  it("the status script records its input and prints the user's own status line", async () => {
    writeFileSync(join(dir, 'status.sh'), STATUS_SCRIPT);
    writeFileSync(join(dir, 'user.sh'), 'read -r j; echo "mine: ${#j}"');
    const input = '{"session_id":"s","context_window":{"used_percentage":12.5}}';
    const out = execFileSync('sh', [join(dir, 'status.sh'), join(dir, 'a.status'), 'i1', join(dir, 'user.sh')], {
      input,
    });
    expect(out.toString()).toBe(`mine: ${input.length}\n`);
    const f = follower();
    await poll(f);
    expect(f.state.contextPercent).toBe(12.5);
    const none = execFileSync('sh', [join(dir, 'status.sh'), join(dir, 'a.status'), 'i1'], { input });
    expect(none.toString()).toBe('');
  });
});
