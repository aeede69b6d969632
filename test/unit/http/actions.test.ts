// approve/deny over HTTP: the rules as tables, then a real server on loopback with a stand-in answer (the answer itself is tested with the real Claude Code).
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerRefused } from '../../../src/claude/permission/answer.js';
import { actionPath, actionRefusal, parseActionBody, type ActionRequest } from '../../../src/http/actions.js';
import { startHttpServer, type HttpServer, type PageActions } from '../../../src/http/server.js';
import { StubFleet, stubItem } from '../../helpers/fleet-stub.js';

describe('actionPath', () => {
  it.each<[string, { name: string; verb: string } | undefined]>([
    ['/api/agents/web/approve', { name: 'web', verb: 'approve' }],
    ['/api/agents/web/deny', { name: 'web', verb: 'deny' }],
    ['/api/agents/a%2Db/deny', { name: 'a-b', verb: 'deny' }],
    ['/api/agents/web/restart', undefined],
    ['/api/agents/web', undefined],
    ['/api/agents/a/b/approve', undefined],
    ['/api/agents/%E0%A4%A/approve', undefined],
  ])('%s', (path, want) => expect(actionPath(path)).toEqual(want));
});

describe('actionRefusal', () => {
  const ok: ActionRequest = {
    actionsEnabled: true,
    headerTokenOk: true,
    host: '127.0.0.1:8080',
    origin: 'http://127.0.0.1:8080',
    secFetchSite: 'same-origin',
    contentType: 'application/json',
  };
  it.each<[string, Partial<ActionRequest>, number | undefined]>([
    ['a same-origin page with the token', {}, undefined],
    ['curl: no Origin, no Sec-Fetch-Site', { origin: undefined, secFetchSite: undefined }, undefined],
    ['JSON with a charset', { contentType: 'application/json; charset=utf-8' }, undefined],
    ['no token on the controller: read-only', { actionsEnabled: false }, 403],
    ['no token in the header', { headerTokenOk: false }, 401],
    ['another site (Sec-Fetch-Site)', { secFetchSite: 'cross-site' }, 403],
    ['a sibling site (Sec-Fetch-Site)', { secFetchSite: 'same-site' }, 403],
    ['typed in the address bar (Sec-Fetch-Site none)', { secFetchSite: 'none' }, 403],
    ['another Origin', { origin: 'http://evil.example' }, 403],
    ['another port', { origin: 'http://127.0.0.1:9999' }, 403],
    ['https Origin for an http server', { origin: 'https://127.0.0.1:8080' }, 403],
    ['Origin "null" (a sandboxed frame)', { origin: 'null' }, 403],
    ['a form (urlencoded)', { contentType: 'application/x-www-form-urlencoded' }, 415],
    ['text/plain (a simple cross-site request)', { contentType: 'text/plain' }, 415],
    ['no Content-Type', { contentType: undefined }, 415],
  ])('%s → %s', (_, over, status) => {
    expect(actionRefusal({ ...ok, ...over })?.status).toBe(status);
  });
});

describe('parseActionBody', () => {
  it.each<[string, unknown]>([
    ['{}', {}],
    ['', {}],
    ['{"message":"not here"}', { message: 'not here' }],
    ['{"message":""}', 'bad'],
    ['{"message":3}', 'bad'],
    ['{"other":1}', 'bad'],
    ['[', 'not JSON'],
  ])('%s', (text, want) => {
    const got = parseActionBody(text);
    if (typeof want === 'string') expect(got).toEqual(expect.stringContaining(want));
    else expect(got).toEqual(want);
  });
});

describe('the server: POST /api/agents/NAME/approve|deny', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const TOKEN = 'a-long-enough-test-token-0123456789';
  const calls: [string, string, string | undefined][] = [];
  const actions: PageActions = {
    answer(verb, name, message) {
      calls.push([verb, name, message]);
      if (name === 'idle') return Promise.reject(new AnswerRefused('idle has no pending permission request'));
      return Promise.resolve(`${verb === 'approve' ? 'approved' : 'denied'} Bash(ls) for ${name}`);
    },
  };
  const start = async (token: string | undefined): Promise<HttpServer> =>
    (server = await startHttpServer({
      addr: '127.0.0.1:0',
      token,
      source: new StubFleet([stubItem('web'), stubItem('idle')]),
      actions,
    }));
  const post = (path: string, init: { headers?: Record<string, string>; body?: string; method?: string } = {}) =>
    fetch(`${server!.url}${path}`, {
      method: init.method ?? 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...init.headers },
      body: init.method === 'OPTIONS' ? undefined : (init.body ?? '{}'),
    });

  it('answers with the token in the header, and says what was done', async () => {
    await start(TOKEN);
    calls.length = 0;
    const a = await post('/api/agents/web/approve', { headers: { Origin: server!.url } });
    expect(a.status).toBe(200);
    expect(await a.json()).toEqual({ ok: true, message: 'approved Bash(ls) for web' });
    const d = await post('/api/agents/web/deny', { body: '{"message":"no"}' });
    expect(d.status).toBe(200);
    expect(calls).toEqual([
      ['approve', 'web', undefined],
      ['deny', 'web', 'no'],
    ]);
    expect(a.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses: nothing pending 409, unknown 404, bad body 400, token in the query 401, other site 403, OPTIONS 405', async () => {
    await start(TOKEN);
    calls.length = 0;
    expect((await post('/api/agents/idle/approve')).status).toBe(409);
    expect((await post('/api/agents/nope/approve')).status).toBe(404);
    expect((await post('/api/agents/web/approve', { body: '{"message":"x"}' })).status).toBe(400);
    expect((await post('/api/agents/web/deny', { body: '{' })).status).toBe(400);
    const q = await fetch(`${server!.url}/api/agents/web/approve?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(q.status).toBe(401);
    expect((await post('/api/agents/web/approve', { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await post('/api/agents/web/approve', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await post('/api/agents/web/approve', { headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await post('/api/agents/web/approve', { body: 'x'.repeat(20_000) })).status).toBe(413);
    const opt = await post('/api/agents/web/approve', { method: 'OPTIONS' });
    expect(opt.status).toBe(405);
    expect(opt.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post('/api/agents/web', {})).status).toBe(405);
    // Only the one that passed every rule reached the answer.
    expect(calls).toEqual([['approve', 'idle', undefined]]);
  });

  it('GET /api/info says whether actions are on; without a token the server stays read-only', async () => {
    await start(TOKEN);
    const on = await fetch(`${server!.url}/api/info`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(await on.json()).toEqual({ actions: true });
    expect((await fetch(`${server!.url}/api/info`)).status).toBe(401);
    await server!.close();
    await start(undefined);
    calls.length = 0;
    expect(await (await fetch(`${server!.url}/api/info`)).json()).toEqual({ actions: false });
    expect((await post('/api/agents/web/approve')).status).toBe(403);
    expect(calls).toEqual([]);
  });
});
