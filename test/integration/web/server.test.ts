// The HTTP server against a stub FleetSource on an ephemeral port: routes, auth, read-only, redaction.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startHttpServer, HttpConfigError, type HttpServer } from '../../../src/http/server.js';
import { StubFleet, stubItem } from '../../helpers/fleet-stub.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(fleet: StubFleet, token?: string, addr = '127.0.0.1:0'): Promise<HttpServer> {
  server = await startHttpServer({ addr, token, source: fleet });
  return server;
}

/** A raw request, so Host and methods can be anything (fetch forbids some). */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('routes', () => {
  it('serves the get -o json document, health, readiness and metrics', async () => {
    const fleet = new StubFleet([
      stubItem('b'),
      stubItem('a', { phase: 'CrashLoopBackOff', ready: false, restarts: 3 }),
    ]);
    fleet.isReady = false;
    const s = await start(fleet);
    expect(s.host).toBe('127.0.0.1');
    expect(s.port).toBeGreaterThan(0);

    const list = await fetch(`${s.url}/api/agents`);
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await list.json()) as { items: { name: string; phase: string; restarts: number }[] };
    expect(doc.items.map((i) => i.name)).toEqual(['a', 'b']);
    expect(doc.items[0]).toMatchObject({ phase: 'CrashLoopBackOff', restarts: 3 });

    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${s.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toMatch(/not ready/);
    fleet.isReady = true;
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    fleet.isHealthy = false;
    expect((await fetch(`${s.url}/healthz`)).status).toBe(503);

    const m = await fetch(`${s.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('version=0.0.4');
    expect(await m.text()).toContain('agentctl_agents{phase="Running"} 1');
  });

  it('shows one agent with merged events and its output, every secret value redacted', async () => {
    const fleet = new StubFleet([stubItem('web', { message: 'exited with code 1 (token s3cr3t-value-42)' })]);
    const t0 = Date.parse('2026-11-29T10:00:00Z');
    const at = (min: number): string => new Date(t0 + min * 60_000).toISOString();
    fleet.events.set('web', [
      { time: at(0), type: 'Normal', reason: 'Started', message: 'started web.1', count: 1 },
      { time: at(1), type: 'Warning', reason: 'BackOff', message: 'back-off 10s restarting failed agent', count: 1 },
      { time: at(2), type: 'Normal', reason: 'Started', message: 'started web.2', count: 1 },
      { time: at(7), type: 'Warning', reason: 'BackOff', message: 'back-off 20s restarting failed agent', count: 11 },
    ]);
    fleet.output.set('web', 'line 1\nconnecting with s3cr3t-value-42\nline 3');
    fleet.secretValues.set('web', ['s3cr3t-value-42']);
    const s = await start(fleet);

    const r = await fetch(`${s.url}/api/agents/web?lines=2`);
    expect(r.status).toBe(200);
    const d = (await r.json()) as {
      item: { message: string };
      spec: { env: Record<string, string> };
      events: { title: string; count: number }[];
      output: string;
      outputError: string | null;
    };
    expect(d.output).toBe('connecting with <redacted>\nline 3');
    expect(d.outputError).toBeNull();
    expect(d.item.message).toBe('exited with code 1 (token <redacted>)');
    expect(d.spec.env.API_TOKEN).toBe('<redacted>');
    expect(d.events.map((e) => e.title)).toEqual(['Started ×2 over 2m', 'BackOff ×12 over 6m']);
    expect(JSON.stringify(d)).not.toContain('s3cr3t');

    expect((await fetch(`${s.url}/api/agents/nope`)).status).toBe(404);
    expect((await fetch(`${s.url}/api/agents/%E0%A4%A`)).status).toBe(400);
  });

  it('withholds output when the secrets cannot be read, and reports a logs error', async () => {
    const fleet = new StubFleet([stubItem('a'), stubItem('b')]);
    fleet.secrets = async () => {
      throw new Error('envFile ~/.env cannot be read (EACCES)');
    };
    const s = await start(fleet);
    const a = (await (await fetch(`${s.url}/api/agents/a`)).json()) as { output: string; outputError: string };
    expect(a.output).toBe('');
    expect(a.outputError).toMatch(/output withheld.*EACCES/);

    fleet.secrets = async () => [];
    const b = (await (await fetch(`${s.url}/api/agents/b`)).json()) as { outputError: string };
    expect(b.outputError).toBe('no output for b');
  });

  it('serves the page with a content security policy, and nothing else', async () => {
    const s = await start(new StubFleet());
    const page = await fetch(`${s.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="app.js">');
    for (const f of ['/app.js', '/detail.js', '/format.js']) {
      const r = await fetch(`${s.url}${f}`);
      expect(r.status, f).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/javascript/);
    }
    const css = await fetch(`${s.url}/style.css`);
    const etag = css.headers.get('etag')!;
    expect((await fetch(`${s.url}/style.css`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${s.url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${s.url}/page/index.html`)).status).toBe(404);
  });

  it('is read-only: every method but GET and HEAD gets 405', async () => {
    const s = await start(new StubFleet([stubItem('a')]));
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await raw(`${s.url}/api/agents/a`, { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    const head = await raw(`${s.url}/api/agents`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('access', () => {
  it('on loopback, answers only to loopback host names (no DNS rebinding)', async () => {
    const s = await start(new StubFleet([stubItem('a')]));
    for (const host of [`localhost:${s.port}`, `127.0.0.1:${s.port}`, `[::1]:${s.port}`, 'localhost']) {
      expect((await raw(`${s.url}/api/agents`, { headers: { Host: host } })).status, host).toBe(200);
    }
    for (const host of [`evil.example:${s.port}`, '10.0.0.5', 'localhost.evil.example']) {
      expect((await raw(`${s.url}/api/agents`, { headers: { Host: host } })).status, host).toBe(403);
    }
  });

  it('refuses a non-loopback address without a token, and a bad address', async () => {
    await expect(startHttpServer({ addr: '0.0.0.0:0', source: new StubFleet() })).rejects.toThrow(
      /without a token.*--http-token/,
    );
    await expect(startHttpServer({ addr: '0.0.0.0:0', token: '', source: new StubFleet() })).rejects.toBeInstanceOf(
      HttpConfigError,
    );
    await expect(startHttpServer({ addr: 'nine:four', source: new StubFleet() })).rejects.toThrow(
      /--http-addr must be/,
    );
  });

  it('with a token, wants it as a bearer header or ?token=, except on the health probes', async () => {
    const s = await start(new StubFleet([stubItem('a')]), 'correct-horse-battery', '0.0.0.0:0');
    const url = `http://127.0.0.1:${s.port}`;
    const none = await fetch(`${url}/api/agents`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${url}/api/agents`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/api/agents?token=correct-horse-batter`)).status).toBe(401);
    expect((await fetch(`${url}/api/agents/a`)).status).toBe(401);
    expect((await fetch(`${url}/api/events`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${url}/api/agents`, { headers: { Authorization: 'Bearer correct-horse-battery' } })).status,
    ).toBe(200);
    expect((await fetch(`${url}/api/agents?token=correct-horse-battery`)).status).toBe(200);
    expect((await fetch(`${url}/?token=correct-horse-battery`)).status).toBe(200);
    // Any Host is fine once a token guards the server (it is meant to be reached by name).
    expect(
      (await raw(`${url}/api/agents?token=correct-horse-battery`, { headers: { Host: 'fleet.example:80' } })).status,
    ).toBe(200);
    // The probes and the page's own files (no data in them) need no token.
    for (const p of ['/healthz', '/readyz', '/', '/app.js', '/style.css'])
      expect((await fetch(`${url}${p}`)).status, p).toBe(200);
  });
});
