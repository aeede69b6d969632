// URL hooks against a real local HTTP server: the JSON body, background sending that never holds
// the caller, and requests to dead or silent endpoints bounded by their timeout.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessHookRunner } from '../../../src/hooks/runner.js';
import type { HookContext } from '../../../src/hooks/types.js';
import { AgentSpecBody, type HookEntry, type HookName } from '../../../src/spec/schema.js';

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

function recordingLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug', base: null }, sink), lines };
}

interface Received {
  method: string;
  contentType: string | undefined;
  body: unknown;
}

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
});

async function listen(
  handler: (req: IncomingMessage, body: string, respond: (status: number) => void) => void,
): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, (status) => res.writeHead(status).end('ok')));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: bound, closed, not reused within the test. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('hook runner: URL entries', () => {
  it('POSTs the JSON body with its content type to a local server', async () => {
    const received: Received[] = [];
    const base = await listen((req, body, respond) => {
      received.push({ method: req.method ?? '', contentType: req.headers['content-type'], body: JSON.parse(body) });
      respond(204);
    });
    const { log, lines } = recordingLogger();
    const runner = new ProcessHookRunner(log);
    const before = Date.now();
    const outcomes = await runner.run(hookContext('postStart', [{ url: `${base}/hook?token=abc` }]));
    expect(outcomes).toEqual([
      {
        entry: `url: ${base.slice('http://'.length)}`,
        ok: true,
        exitCode: null,
        timedOut: false,
        durationMs: 0,
        outputTail: '',
        background: true,
      },
    ]);
    await runner.drain();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      contentType: 'application/json',
      body: { agent: 'hooked', hook: 'postStart', specHash: 'abc123' },
    });
    const time = Date.parse((received[0]?.body as { time: string }).time);
    expect(time).toBeGreaterThanOrEqual(before - 1000);
    expect(time).toBeLessThanOrEqual(Date.now());
    const logged = lines.find((l) => l.msg === 'url hook delivered');
    expect(logged).toMatchObject({ agent: 'hooked', hook: 'postStart', status: 204 });
    // Query strings often carry tokens: the log names only the host.
    expect(JSON.stringify(lines)).not.toContain('token=abc');
  });

  it('hands the real result of a background send to onSettled, a failure as a failure', async () => {
    const base = await listen((_req, _body, respond) => respond(503));
    const settled: unknown[] = [];
    const runner = new ProcessHookRunner(pino({ level: 'silent' }));
    const [sent] = await runner.run(
      hookContext('postStop', [{ url: base }], { onSettled: (o) => void settled.push(o) }),
    );
    expect(sent).toMatchObject({ ok: true, background: true });
    await runner.drain();
    expect(settled).toEqual([
      expect.objectContaining({
        ok: false,
        outputTail: 'HTTP 503',
        error: expect.stringMatching(/HTTP 503/) as unknown,
      }),
    ]);
    expect(settled[0]).not.toHaveProperty('background');
  });

  it('reports the real result when asked to wait', async () => {
    const base = await listen((_req, _body, respond) => respond(500));
    const [o] = await new ProcessHookRunner(pino({ level: 'silent' })).run(
      hookContext('preStop', [{ url: base }], { awaitUrls: true }),
    );
    expect(o).toMatchObject({ ok: false, outputTail: 'HTTP 500', timedOut: false });
    expect(o?.error).toMatch(/HTTP 500/);
  });

  it('returns at once for a closed port and finishes in the background within the timeout', async () => {
    const port = await closedPort();
    const { log, lines } = recordingLogger();
    const runner = new ProcessHookRunner(log);
    const t0 = Date.now();
    const outcomes = await runner.run(
      hookContext('preStart', [{ url: `http://127.0.0.1:${port}/x`, timeoutSeconds: 1 }, 'echo next']),
    );
    expect(Date.now() - t0).toBeLessThan(500);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    await runner.drain();
    expect(Date.now() - t0).toBeLessThan(1_500);
    const failed = lines.find((l) => l.msg === 'url hook failed');
    expect(failed).toMatchObject({ agent: 'hooked', status: null, timedOut: false });
    expect(String(failed?.error)).toMatch(/ECONNREFUSED/);
  });

  it('gives up on a server that never answers at the timeout', async () => {
    const base = await listen(() => undefined);
    const runner = new ProcessHookRunner(pino({ level: 'silent' }));
    const t0 = Date.now();
    const [o] = await runner.run(hookContext('postStop', [{ url: base, timeoutSeconds: 0.5 }], { awaitUrls: true }));
    const elapsed = Date.now() - t0;
    expect(o).toMatchObject({ ok: false, timedOut: true });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('does not hold the caller while a slow server is still answering', async () => {
    const base = await listen((_req, _body, respond) => setTimeout(() => respond(200), 800));
    const { log, lines } = recordingLogger();
    const runner = new ProcessHookRunner(log);
    const t0 = Date.now();
    await runner.run(hookContext('postStart', [{ url: base }]));
    expect(Date.now() - t0).toBeLessThan(300);
    await runner.drain();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(750);
    expect(lines.find((l) => l.msg === 'url hook delivered')).toMatchObject({ status: 200 });
  });
});
