// The fleet page's attention panel in headless Chromium: agents waiting for a person first, notifications on new waits, approve/deny only with the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerRefused } from '../../../src/claude/permission/answer.js';
import { startHttpServer, type HttpServer, type PageActions } from '../../../src/http/server.js';
import { demoFleet } from '../../helpers/fleet-demo.js';
import type { StubFleet } from '../../helpers/fleet-stub.js';
import { removeTree } from '../../helpers/remove-tree.js';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TOKEN = 'page-test-token-0123456789abcdef';

let profile: string;
let browser: BrowserContext;
let fleet: StubFleet;
let open: HttpServer;
let guarded: HttpServer;
const calls: string[] = [];

/** Stands in for answerAgent (tested with the real Claude Code): the agent stops waiting once answered. */
const actions: PageActions = {
  answer(verb, name) {
    calls.push(`${verb} ${name}`);
    const i = fleet.item(name);
    if (!i?.claude || i.claude.activity !== 'WaitingForInput')
      return Promise.reject(new AnswerRefused(`${name} has no pending permission request`));
    return Promise.resolve(`${verb === 'approve' ? 'approved' : 'denied'} Bash(npm publish) for ${name}`);
  },
};

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'agentctl-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  fleet = demoFleet(Date.now());
  open = await startHttpServer({ addr: '127.0.0.1:0', source: fleet, stream: { flushMs: 20 }, actions });
  guarded = await startHttpServer({
    addr: '127.0.0.1:0',
    token: TOKEN,
    source: fleet,
    stream: { flushMs: 20 },
    actions,
  });
});

afterAll(async () => {
  await browser?.close();
  await open?.close();
  await guarded?.close();
  removeTree(profile);
});

async function openPage(url: string): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  // Records every notification the page shows (the real one is still made).
  await page.addInitScript({
    content: [
      'window.notes = [];',
      'const Real = window.Notification;',
      'window.Notification = class extends Real {',
      '  constructor(title, o) { super(title, o); window.notes.push(`${title} | ${o?.body ?? ""}`); }',
      '};',
    ].join('\n'),
  });
  await page.goto(url);
  await page.locator('#conn[data-state="live"]').waitFor();
  return page;
}

const waitingNames = (page: Page): Promise<string[]> => page.locator('#waiting-list li .w-name').allTextContents();

describe('waiting for a person', () => {
  it('comes first, says why and since when; read-only without the token', async () => {
    const page = await openPage(`${open.url}/`);
    await page.locator('#waiting:not([hidden])').waitFor();
    expect(await waitingNames(page)).toEqual(['researcher-1']);
    const li = page.locator('#waiting-list li[data-name="researcher-1"]');
    expect(await li.locator('.w-why').innerText()).toBe('permission: Claude wants to use Bash(npm publish)');
    expect(await li.locator('.w-since').innerText()).toBe('for 3m');
    // Above the table.
    const [panel, table] = await Promise.all([
      page.locator('#waiting').boundingBox(),
      page.locator('#agents').boundingBox(),
    ]);
    expect(panel!.y).toBeLessThan(table!.y);
    // No token: no buttons, and the server answers nothing.
    expect(await li.locator('button.act').count()).toBe(0);
    const posted = await page.evaluate(async () => {
      const r = await fetch('/api/agents/researcher-1/approve', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      return r.status;
    });
    expect(posted).toBe(403);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('notifies once per new wait after permission is given, not for waits already there', async () => {
    await browser.grantPermissions(['notifications'], { origin: open.url });
    const page = await openPage(`${open.url}/`);
    await page.locator('#notify:not([hidden])').waitFor();
    expect(await page.locator('#notify').innerText()).toBe('Notifying of waits');
    const r2 = fleet.item('researcher-2')!;
    const since = new Date().toISOString();
    fleet.set({
      ...r2,
      claude: {
        ...r2.claude!,
        activity: 'WaitingForInput',
        waitingFor: 'question',
        waitingMessage: 'Which branch?',
        activitySince: since,
      },
    });
    await page.locator('#waiting-list li[data-name="researcher-2"]').waitFor({ timeout: 10_000 });
    // The longest waiting first.
    expect(await waitingNames(page)).toEqual(['researcher-1', 'researcher-2']);
    // An unrelated change of the same wait does not notify again.
    fleet.set({ ...fleet.item('researcher-2')!, restarts: 3 });
    await page.locator('tr[data-name="researcher-2"] td.num', { hasText: '3' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notes: string[] }).notes)).toEqual([
      'researcher-2 waits for a person | question: Which branch?',
    ]);
    fleet.set(r2);
    await page.locator('#waiting-list li[data-name="researcher-2"]').waitFor({ state: 'detached', timeout: 10_000 });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('with the token: approve and deny buttons for a permission wait; the answer is shown', async () => {
    const page = await openPage(`${guarded.url}/?token=${TOKEN}`);
    const li = page.locator('#waiting-list li[data-name="researcher-1"]');
    await li.locator('button.act.approve').waitFor();
    expect(await li.locator('button.act').allTextContents()).toEqual(['Approve', 'Deny']);
    calls.length = 0;
    await li.locator('button.act.approve').click();
    await li.locator('.w-result', { hasText: 'approved Bash(npm publish) for researcher-1' }).waitFor();
    expect(calls).toEqual(['approve researcher-1']);
    // Nothing pending any more: the refusal is shown, in the bad colour.
    const r1 = fleet.item('researcher-1')!;
    fleet.set({ ...r1, claude: { ...r1.claude!, activity: 'Working', waitingFor: null } }, false);
    await li.locator('button.act.deny').click();
    await li.locator('.w-result.bad', { hasText: 'has no pending permission request' }).waitFor();
    fleet.set(r1, false);
    // The page's own POST carries the token in the header: the address has none in the request.
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
