// The PermissionRequest hook script with real sh and files: a decision agentctl writes is printed for Claude Code; none in time, nothing.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { permissionDialog } from '../../../../src/claude/permission/dialog-screen.js';
import { decisionTaken, pendingRequests, writeDecision } from '../../../../src/claude/permission/pending.js';
import { PERMISSION_SCRIPT, permissionDir } from '../../../../src/claude/permission/permission-script.js';
import { decisionOutput, describeRequest, parseRequest } from '../../../../src/claude/permission/requests.js';
import { removeTree } from '../../../helpers/remove-tree.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentctl-perm-'));
  writeFileSync(join(dir, 'perm.sh'), PERMISSION_SCRIPT);
});
afterEach(() => removeTree(dir));

const INPUT = {
  session_id: 's',
  hook_event_name: 'PermissionRequest',
  tool_name: 'Bash',
  tool_input: { command: 'touch made-by-mock.txt', description: 'Create a file' },
};

function hook(waitSeconds: number) {
  return execa(
    'sh',
    [join(dir, 'perm.sh'), join(dir, 'a.inc1.events'), 'inc1', permissionDir(dir, 'a', 'inc1'), String(waitSeconds)],
    {
      input: `${JSON.stringify(INPUT, null, 2)}\n`,
      reject: false,
    },
  );
}

async function until<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('not in time');
}

describe('PermissionRequest hook', () => {
  it('waits for the decision agentctl writes, prints it, and leaves no file behind', async () => {
    const run = hook(30);
    const [req] = await until(async () => {
      const p = await pendingRequests(dir, 'a');
      return p.length > 0 ? p : undefined;
    });
    expect(describeRequest(req!)).toBe('Bash(touch made-by-mock.txt)');
    expect(req!.pid).toBe(run.pid);
    await writeDecision(req!, { behavior: 'deny', message: 'not now' });
    expect(await decisionTaken(req!, 5000)).toBe(true);
    const r = await run;
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: 'not now' } },
    });
    expect(readdirSync(permissionDir(dir, 'a', 'inc1'))).toEqual([]);
    // The request is also an activity line, on one line.
    const line = readFileSync(join(dir, 'a.inc1.events'), 'utf8');
    expect(line).toMatch(/^h inc1 \d+ \{.*"hook_event_name": "PermissionRequest".*\}\n$/);
  });

  it('prints nothing when no decision comes in time (the dialog then shows), and cleans up', async () => {
    const r = await hook(1);
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(readdirSync(permissionDir(dir, 'a', 'inc1'))).toEqual([]);
    expect(await pendingRequests(dir, 'a')).toEqual([]);
  });

  it('a decision written as the hook gives up is not reported as taken (the dialog still waits)', async () => {
    // The hook's last look came just before the decision: it exits, and its trap removes the
    // request and the decision. Played with a live process standing for the hook.
    const d = permissionDir(dir, 'a', 'r1');
    const { mkdirSync, rmSync } = await import('node:fs');
    mkdirSync(d);
    const standIn = execa('sleep', ['30']);
    const id = `100-${standIn.pid}`;
    writeFileSync(join(d, `${id}.request`), `${standIn.pid} 100\n${JSON.stringify(INPUT)}\n`);
    const [req] = await pendingRequests(dir, 'a');
    await writeDecision(req!, { behavior: 'allow' });
    const answer = decisionTaken(req!, 5000);
    rmSync(join(d, `${id}.request`));
    rmSync(join(d, `${id}.decision`));
    standIn.kill();
    await standIn.catch(() => undefined);
    expect(await answer).toBe(false);
  });

  it('does not count a request whose hook is gone, nor other agents', async () => {
    const d = permissionDir(dir, 'a', 'x1');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(d);
    writeFileSync(join(d, '100-999999.request'), `999999 100\n${JSON.stringify(INPUT)}\n`);
    expect(await pendingRequests(dir, 'a')).toEqual([]);
    expect(await pendingRequests(dir, 'ab')).toEqual([]);
  });
});

describe('request files and decisions', () => {
  it('parses what the hook writes, tolerating a cut JSON', () => {
    expect(parseRequest('1-2', `2 1\n${JSON.stringify(INPUT)}\n`)).toEqual({
      id: '1-2',
      pid: 2,
      at: 1000,
      toolName: 'Bash',
      summary: 'touch made-by-mock.txt',
    });
    expect(parseRequest('1-2', '2 1\n{"tool_name":"Bash","tool_in')).toMatchObject({ toolName: 'a tool', summary: '' });
    expect(parseRequest('1-2', 'garbage')).toBeUndefined();
    expect(decisionOutput({ behavior: 'allow' })).toBe(
      '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}\n',
    );
  });
});

describe('permissionDialog', () => {
  const screen = (f: string): string => readFileSync(join('test/fixtures/claude-real/screens', f), 'utf8');
  it.each([
    ['permission-proceed.txt', true, true],
    ['idle-input-box.txt', false, false],
    ['conversation-input-box.txt', false, false],
    ['trust-folder.txt', false, false],
    ['busy-stalled.txt', false, false],
  ])('%s: active %s, yes selected %s', (f, active, yes) => {
    expect(permissionDialog(screen(f))).toEqual({ active, yesSelected: yes });
  });

  it('is not active when the dialog text is quoted above an input box', () => {
    const quoted = `${screen('permission-proceed.txt')}\n${'─'.repeat(40)}\n❯ \n${'─'.repeat(40)}\n  ⏸ manual mode on\n`;
    expect(permissionDialog(quoted).active).toBe(false);
    const moved = screen('permission-proceed.txt').replace('❯ 1. Yes', '  1. Yes').replace('   4. No', ' ❯ 4. No');
    expect(permissionDialog(moved)).toEqual({ active: true, yesSelected: false });
  });
});
