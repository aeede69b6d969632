// The fleet page in headless Chromium (Debian's, driven by playwright-core) against a stub fleet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type HttpServer } from '../../../src/http/server.js';
import { DEMO_SECRET, demoFleet } from '../../helpers/fleet-demo.js';
import { stubItem, type StubFleet } from '../../helpers/fleet-stub.js';
import { ROOT } from '../../helpers/cli.js';
import { removeTree } from '../../helpers/remove-tree.js';

/** Where the README's screenshots live (rewritten by every run; the same pixels give the same file). */
export const SCREENSHOTS = join(ROOT, 'test', 'fixtures', 'web');
/** The README's screenshots are rewritten only when asked (AGENTCTL_UPDATE_SCREENSHOTS=1): a test
 * run leaves the checkout as it found it. Otherwise they go to a temporary folder. */
const shotsDir = (): string =>
  process.env.AGENTCTL_UPDATE_SCREENSHOTS === '1' ? SCREENSHOTS : mkdtempSync(join(tmpdir(), 'agentctl-shots-'));
/** The machine's closed network refuses Chromium's background connections: these flags stop them. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The screenshots' clock, so ages and "3m ago" read the same on every run. */
const SHOT_TIME = Date.parse('2026-11-30T09:30:00Z');

let profile: string;
let browser: BrowserContext;
let fleet: StubFleet;
let server: HttpServer;

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'agentctl-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1600, height: 900 },
  });
  fleet = demoFleet(Date.now());
  server = await startHttpServer({ addr: '127.0.0.1:0', source: fleet, stream: { flushMs: 20 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  removeTree(profile);
});

async function openPage(url = `${server.url}/`): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(url);
  await page.locator('#conn[data-state="live"]').waitFor();
  return page;
}

const names = (page: Page): Promise<string[]> =>
  page.locator('#agents tbody tr:not([hidden]) td.name').allTextContents();
const cell = (page: Page, name: string, cls: string): Promise<string> =>
  page.locator(`#agents tbody tr[data-name="${name}"] td.${cls}`).innerText();

describe('fleet page', () => {
  it('lists every agent of the source with phase, ready, restarts, age, host, runtime and message', async () => {
    const page = await openPage();
    expect(await names(page)).toEqual(fleet.items().map((i) => i.name));
    expect(await cell(page, 'web', 'phase-cell')).toBe('CrashLoopBackOff');
    expect(await page.locator('tr[data-name="web"] .phase').getAttribute('class')).toContain('tone-bad');
    expect(await cell(page, 'web', 'ready')).toBe('False');
    expect(await page.locator('tr[data-name="web"] td').nth(3).innerText()).toBe('12');
    expect(await cell(page, 'trainer', 'host')).toBe('login-1');
    expect(await cell(page, 'trainer', 'runtime')).toBe('slurm');
    expect(await cell(page, 'reviewer', 'age')).toBe('3d');
    expect(await cell(page, 'indexer', 'msg')).toBe('waiting for dependency db to be Ready');
    expect(await page.locator('#count').innerText()).toBe('10 agents');
    expect(await page.locator('#phase-counts [data-phase="Running"]').innerText()).toBe('Running 5');
    expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('shows a change pushed by the source without a reload: updates, new agents and removed ones', async () => {
    const page = await openPage();
    // A mark on the page's global object: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    const t0 = Date.now();
    fleet.set(stubItem('db', { ...fleet.item('db')!, ready: true, message: 'running and healthy', restarts: 2 }));
    await page.locator('tr[data-name="db"] td.msg', { hasText: 'running and healthy' }).waitFor({ timeout: 10_000 });
    const latency = Date.now() - t0;
    expect(await cell(page, 'db', 'ready')).toBe('True');

    fleet.set(stubItem('zeta', { phase: 'Pending', ready: false, labels: { team: 'ml' }, message: 'new' }));
    fleet.remove('old-bot');
    await page.locator('tr[data-name="zeta"]').waitFor({ timeout: 10_000 });
    await page.locator('tr[data-name="old-bot"]').waitFor({ state: 'detached', timeout: 10_000 });
    expect((await names(page)).at(-1)).toBe('zeta');
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    console.log(`fleet page: a pushed change showed after ${latency} ms`);

    fleet.remove('zeta');
    fleet.set(demoFleet(Date.now()).item('old-bot')!);
    await page.locator('tr[data-name="zeta"]').waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  });

  it('filters by label selector and by phase, and keeps the filters in the address', async () => {
    const page = await openPage();
    await page.fill('#selector', 'team=research');
    expect(await names(page)).toEqual(['researcher-1', 'researcher-2', 'reviewer', 'scratch']);
    await page.fill('#selector', 'team=research,tier!=dev');
    expect(await names(page)).toEqual(['researcher-1', 'researcher-2']);
    expect(await page.locator('#count').innerText()).toBe('2 of 10 agents');
    expect(new URL(page.url()).searchParams.get('selector')).toBe('team=research,tier!=dev');

    await page.fill('#selector', 'team=');
    expect(await page.locator('#selector-error').innerText()).toBe('');
    await page.fill('#selector', 'a=b=c');
    expect(await page.locator('#selector-error').innerText()).toMatch(/not a label selector term/);

    await page.fill('#selector', '');
    await page.selectOption('#phase', 'CrashLoopBackOff');
    expect(await names(page)).toEqual(['web']);
    await page.selectOption('#phase', '');
    await page.click('#phase-counts [data-phase="Pending"]');
    expect(await names(page)).toEqual(['indexer']);
    expect(new URL(page.url()).searchParams.get('phase')).toBe('Pending');

    // The address restores the filters (a wall screen's bookmark).
    const again = await openPage(`${server.url}/?selector=tier%3Dprod&phase=Running`);
    expect(await names(again)).toEqual(['db', 'researcher-1', 'researcher-2', 'trainer']);
    await Promise.all([page.close(), again.close()]);
  });

  it('opens a detail view with conditions, merged events and the output, the secret redacted', async () => {
    const page = await openPage();
    await page.click('tr[data-name="web"]');
    await page.locator('#d-output', { hasText: 'ECONNREFUSED' }).waitFor();
    expect(await page.locator('#d-name').innerText()).toBe('web');
    const events = await page.locator('#d-events li .title').allTextContents();
    expect(events).toContain('BackOff ×12 over 5m');
    expect(events).toContain('Exited ×12 over 6m');
    expect(await page.locator('#d-conditions tbody tr').first().innerText()).toMatch(
      /Ready\s+False\s+CrashLoopBackOff/,
    );
    const output = await page.locator('#d-output').innerText();
    expect(output).toContain('connecting to db with key <redacted>');
    expect(await page.content()).not.toContain(DEMO_SECRET);
    expect(await page.locator('#d-summary').innerText()).toContain('API_TOKEN=<redacted>');
    expect(page.url()).toMatch(/#agent=web$/);

    await page.keyboard.press('Escape');
    expect(await page.locator('#detail').isHidden()).toBe(true);
    await page.close();
  });

  it('sends the token from its own address when the server wants one', async () => {
    const guarded = await startHttpServer({ addr: '127.0.0.1:0', token: 'page-token-123456', source: fleet });
    try {
      const page = await openPage(`${guarded.url}/?token=page-token-123456`);
      expect((await names(page)).length).toBe(10);
      await page.click('tr[data-name="web"]');
      await page.locator('#d-output', { hasText: 'ECONNREFUSED' }).waitFor();
      await page.close();
    } finally {
      await guarded.close();
    }
  });

  it('shows when the connection is lost', async () => {
    const lost = await startHttpServer({ addr: '127.0.0.1:0', source: fleet });
    const page = await openPage(`${lost.url}/`);
    await lost.close();
    await page.locator('#conn:not([data-state="live"])').waitFor({ timeout: 10_000 });
    expect(await page.locator('#conn-text').innerText()).toMatch(/reconnecting|offline/);
    await page.close();
  });

  it('writes the screenshots the README shows', async () => {
    const dir = shotsDir();
    const shotFleet = demoFleet(SHOT_TIME);
    // With a token and actions, as a controller started with --http-token: the waiting agent
    // shows its approve and deny buttons.
    const shotToken = 'screenshot-token-0123456789abcdef';
    const shots = await startHttpServer({
      addr: '127.0.0.1:0',
      source: shotFleet,
      token: shotToken,
      actions: { answer: () => Promise.resolve('approved') },
    });
    try {
      mkdirSync(dir, { recursive: true });
      // Dark, as on a wall screen (the page follows the system's choice).
      const page = await browser.newPage();
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.clock.setFixedTime(SHOT_TIME);
      await page.goto(`${shots.url}/?token=${shotToken}`);
      await page.locator('#conn[data-state="live"]').waitFor();
      await page.locator('#waiting button.act.approve').waitFor();
      await page.screenshot({ path: join(dir, 'fleet.png'), animations: 'disabled' });
      await page.click('tr[data-name="web"]');
      await page.locator('#d-output', { hasText: 'ECONNREFUSED' }).waitFor();
      await page.locator('#d-output').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(dir, 'fleet-detail.png'), animations: 'disabled' });
      await page.close();
      // PNGs of a real page (a blank or failed capture is a few hundred bytes).
      for (const f of ['fleet.png', 'fleet-detail.png']) {
        const png = readFileSync(join(dir, f));
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(png.length).toBeGreaterThan(20_000);
      }
    } finally {
      await shots.close();
      if (dir !== SCREENSHOTS) removeTree(dir);
    }
  });
});
