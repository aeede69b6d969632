// The one HTTP server of the controller: fleet page, JSON API, server-sent events, metrics and health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as api from './api.js';
import { bindRefusal, hostPort, parseHttpAddr, tokenRefusal } from './address.js';
import { loopbackHostHeader, requestToken, tokenMatches } from './auth.js';
import type { FleetSource } from './fleet-source.js';
import { FleetStream, type StreamOptions } from './fleet-stream.js';
import { loadPage, type PageFile } from './page-files.js';
import { capConnections, capsFor, type ConnectionCaps } from './connection-cap.js';
import { fdLimit } from '../util/fd-limit.js';
import { AnswerRefused } from '../claude/permission/answer.js';
import { actionPath, actionRefusal, MAX_ACTION_BODY, parseActionBody, type ActionVerb } from './actions.js';
import { exhaustedResource, resourceExhausted } from '../util/resource-alarm.js';

export interface HttpServerOptions {
  /** `HOST:PORT` or `PORT` (loopback); port 0 picks a free one. */
  addr: string;
  /** Required unless the address is loopback; then every request must carry it. */
  token?: string | undefined;
  source: FleetSource;
  log?: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void };
  stream?: Partial<StreamOptions>;
  /** Open connections at once, in total and per client address (default: from the fd limit). */
  caps?: ConnectionCaps;
  /** Answers permission requests (approve/deny from the page); used only when a token is set. */
  actions?: PageActions;
}

export interface PageActions {
  /** Resolves with what was done; throws AnswerRefused when nothing is pending or the input is bad. */
  answer(verb: ActionVerb, name: string, message: string | undefined): Promise<string>;
}

export interface HttpServer {
  /** `http://host:port` as bound (the real port when 0 was asked for). */
  url: string;
  host: string;
  port: number;
  /** Clients connected to /api/events. */
  streams(): number;
  /** The most bytes queued in the server for any one of them. */
  streamBacklog(): number;
  /** Connections closed at once because a cap was reached. */
  refused(): number;
  caps: ConnectionCaps;
  close(): Promise<void>;
}

export class HttpConfigError extends Error {
  override name = 'HttpConfigError';
}

const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
};
/** Probes carry no token (they learn nothing but "ok"), and neither do the page's own files (the
 * same as in the repository; the browser fetches them without the page's query): only data needs it. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

export async function startHttpServer(o: HttpServerOptions): Promise<HttpServer> {
  let bind;
  try {
    bind = parseHttpAddr(o.addr);
  } catch (err) {
    throw new HttpConfigError((err as Error).message);
  }
  const token = o.token === '' ? undefined : o.token;
  const refusal = tokenRefusal(token) ?? bindRefusal(bind, token);
  if (refusal) throw new HttpConfigError(refusal);
  const page = await loadPage();
  const stream = new FleetStream(o.source, { keepAliveMs: 15_000, flushMs: 50, stallMs: 60_000, ...o.stream });

  const actionsEnabled = token !== undefined && o.actions !== undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const url = new URL(req.url ?? '/', 'http://server');
    const path = url.pathname;
    const action = actionPath(path);
    if (req.method === 'POST' && action) return act(req, res, action);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // No CORS: a preflight (OPTIONS) is refused like any other method, so no other site's
      // page may POST JSON here.
      const allow = action ? 'POST' : 'GET, HEAD';
      api.sendText(res, 405, action ? 'only POST' : 'read-only: only GET and HEAD', { Allow: allow });
      return;
    }
    if (token === undefined && !loopbackHostHeader(req.headers.host)) {
      api.sendText(res, 403, 'this server answers to loopback names only (use a token to serve other names)');
      return;
    }
    const file: PageFile | undefined = page.get(path);
    if (
      token !== undefined &&
      !OPEN_PATHS.has(path) &&
      !file &&
      !tokenMatches(requestToken(req.headers.authorization, url.searchParams), token)
    ) {
      api.sendText(res, 401, 'a token is required: Authorization: Bearer <token>, or ?token=<token>', {
        'WWW-Authenticate': 'Bearer',
      });
      return;
    }
    if (path === '/metrics') return api.metrics(o.source, res);
    if (path === '/healthz') return api.health(o.source.healthy(), 'healthy', res);
    if (path === '/readyz') return api.health(o.source.ready(), 'ready: first observation pending', res);
    if (path === '/api/info') return api.sendJson(res, 200, { actions: actionsEnabled });
    if (path === '/api/agents' || path === '/api/agents/') return api.agents(o.source, res);
    if (path.startsWith('/api/agents/')) {
      let name;
      try {
        name = decodeURIComponent(path.slice('/api/agents/'.length));
      } catch {
        return api.sendText(res, 400, 'bad agent name in the path');
      }
      return api.agentDetail(o.source, name, url.searchParams, res);
    }
    if (path === '/api/events') {
      if (req.method === 'HEAD') return api.sendText(res, 200, '', { 'Content-Type': 'text/event-stream' });
      return stream.open(res);
    }
    if (!file) return api.sendText(res, 404, 'not found');
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { ETag: file.etag });
      res.end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Cache-Control': 'no-cache',
      ETag: file.etag,
      ...(path === '/' || path === '/index.html' ? PAGE_HEADERS : {}),
    });
    res.end(file.body);
  };

  const act = async (
    req: IncomingMessage,
    res: ServerResponse,
    a: { name: string; verb: ActionVerb },
  ): Promise<void> => {
    const one = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);
    const refusal = actionRefusal({
      actionsEnabled,
      headerTokenOk:
        token !== undefined && tokenMatches(requestToken(req.headers.authorization, new URLSearchParams()), token),
      host: req.headers.host,
      origin: one(req.headers.origin),
      secFetchSite: one(req.headers['sec-fetch-site']),
      contentType: req.headers['content-type'],
    });
    if (refusal) {
      req.resume();
      return api.sendJson(res, refusal.status, { error: refusal.text }, refusal.headers);
    }
    const text = await readBody(req, MAX_ACTION_BODY);
    if (text === undefined) return api.sendJson(res, 413, { error: `the body is over ${MAX_ACTION_BODY} bytes` });
    const body = parseActionBody(text);
    if (typeof body === 'string') return api.sendJson(res, 400, { error: body });
    if (a.verb === 'approve' && body.message !== undefined)
      return api.sendJson(res, 400, { error: 'approve takes no message' });
    if (!o.source.detail(a.name)) return api.sendJson(res, 404, { error: `unknown agent: ${a.name}` });
    try {
      const done = await o.actions!.answer(a.verb, a.name, body.message);
      o.log?.info?.({ agent: a.name, verb: a.verb, result: done }, 'answered a permission request from the page');
      return api.sendJson(res, 200, { ok: true, message: done });
    } catch (err) {
      if (err instanceof AnswerRefused) return api.sendJson(res, err.usage ? 400 : 409, { error: err.message });
      throw err;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      o.log?.warn({ path: req.url?.split('?')[0], error: err.message }, 'http request failed');
      if (!res.headersSent) api.sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HttpConfigError(`cannot serve on ${hostPort(bind.host, bind.port)}: ${err.code ?? err.message}`, {
          cause: err,
        }),
      ),
    );
    server.listen(bind.port, bind.host, () => resolve());
  });
  // After listen, an accept that fails (EMFILE under a flood) is an 'error' of the server: with no
  // listener it would end the controller. libuv keeps accepting once descriptors are free again.
  server.on('error', (err: NodeJS.ErrnoException) => {
    const resource = exhaustedResource(err.code);
    if (resource) resourceExhausted(resource, 'http accept');
    else o.log?.warn({ error: err.message }, 'http server error');
  });
  const caps = o.caps ?? capsFor(fdLimit()?.soft);
  const refused = capConnections(server, caps);
  const a = server.address() as AddressInfo;
  return {
    url: `http://${hostPort(a.address, a.port)}`,
    host: a.address,
    port: a.port,
    streams: () => stream.clientCount,
    streamBacklog: () => stream.maxBuffered,
    refused,
    caps,
    close: async () => {
      stream.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The body as text, or undefined when it is longer than `max` bytes (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Too long: the rest is drained unread and the request refused.
      if (size > max) resolve(undefined);
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
