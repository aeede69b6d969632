// Notice hooks in the background: run() returns at once even when a URL hangs or an exec runs long; the notice's own JSON is posted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessHookRunner } from '../../../src/hooks/runner.js';
import { AgentSpecBody, type HookEntry } from '../../../src/spec/schema.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function listen(handler: (req: IncomingMessage, body: string) => number | null): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = handler(req, body);
      if (status !== null) res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

const ctx = (entries: HookEntry[]) => ({
  name: 'w',
  hook: 'onWaiting' as const,
  spec: AgentSpecBody.parse({ command: ['true'], workdir: '/tmp', hooks: { onWaiting: entries } }),
  specFile: '/specs/w.yaml',
  specHash: 'h',
  workdir: '/tmp',
  env: {},
  secrets: [],
  background: true,
  payload: { agent: 'w', activity: 'WaitingForInput', waitingFor: 'permission', message: 'm', since: 'x', host: 'h' },
});

describe('background hooks', () => {
  it('returns while a URL is unanswered and an exec still runs; drain waits for both', async () => {
    const held: (() => void)[] = [];
    server = createServer((_req, res) => held.push(() => res.writeHead(204).end()));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const dir = mkdtempSync(join(tmpdir(), 'agentctl-bg-'));
    const go = join(dir, 'go');
    const r = new ProcessHookRunner(pino({ level: 'silent' }));
    const out = await r.run(
      ctx([{ url, timeoutSeconds: 60 }, { exec: ['sh', '-c', `while [ ! -e '${go}' ]; do sleep 0.05; done`] }]),
    );
    expect(out).toEqual([]);
    let drained = false;
    const d = r.drain().then(() => (drained = true));
    await new Promise((res) => setTimeout(res, 300));
    expect(drained).toBe(false);
    // Release the URL (once it has arrived), then the exec: only then does drain resolve.
    while (held.length === 0) await new Promise((res) => setTimeout(res, 20));
    held[0]!();
    writeFileSync(go, '');
    await d;
    expect(drained).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the notice JSON, not the lifecycle payload', async () => {
    const got: unknown[] = [];
    const url = await listen((_req, body) => {
      got.push(JSON.parse(body));
      return 204;
    });
    const r = new ProcessHookRunner(pino({ level: 'silent' }));
    await r.run(ctx([{ url }]));
    await r.drain();
    expect(got).toEqual([
      { agent: 'w', activity: 'WaitingForInput', waitingFor: 'permission', message: 'm', since: 'x', host: 'h' },
    ]);
  });
});
