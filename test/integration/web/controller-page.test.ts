// The fleet page served by a real controller (real tmux, real specs folder), in headless Chromium.
import { describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTmuxSandbox } from '../../helpers/fixture.js';
import { agentYaml } from '../../helpers/cli.js';
import { freePort, startController, type RunningController } from '../../helpers/controller.js';
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
let ctl: RunningController | undefined;
let browser: BrowserContext | undefined;
let profile: string | undefined;
const fx = useTmuxSandbox(async () => {
  await browser?.close();
  browser = undefined;
  if (profile) removeTree(profile);
  await ctl?.stop();
  ctl = undefined;
});

describe('the fleet page of a running controller', () => {
  it('lists the agents, and a spec edit shows up without a reload', async () => {
    fx.sb.write('a.yaml', agentYaml('alpha', ['sleep', '600']));
    const port = await freePort();
    ctl = await startController(fx.sb, ['--http-addr', `127.0.0.1:${port}`, '--resync', '5s']);
    await ctl.waitForLog((l) => l.msg === 'controller running');
    profile = mkdtempSync(join(tmpdir(), 'agentctl-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: FLAGS,
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('#conn[data-state="live"]').waitFor();
    const row = (name: string) => page.locator(`#agents tbody tr[data-name="${name}"]`);
    await row('alpha').locator('td.phase-cell', { hasText: 'Running' }).waitFor({ timeout: 10_000 });

    // A new spec lands in the folder: the page shows the agent without being reloaded.
    await page.evaluate(() => ((globalThis as unknown as { marker?: number }).marker = 42));
    const t0 = Date.now();
    fx.sb.write('b.yaml', agentYaml('beta', ['sleep', '600']));
    await row('beta').locator('td.phase-cell', { hasText: 'Running' }).waitFor({ timeout: 10_000 });
    const ms = Date.now() - t0;
    process.stdout.write(`spec edit → Running on the page: ${ms} ms\n`);
    // The same document the page reads is what `get -o json` prints.
    const api = (await (await fetch(`http://127.0.0.1:${port}/api/agents`)).json()) as {
      items: { name: string; phase: string }[];
    };
    expect(api.items.map((i) => [i.name, i.phase])).toEqual([
      ['alpha', 'Running'],
      ['beta', 'Running'],
    ]);
    // No reload happened: a mark set on the window before the edit is still there.
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
  });
});
