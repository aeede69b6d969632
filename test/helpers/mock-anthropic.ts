// A local mock of the Anthropic Messages API for the real Claude Code: scripted replies, every request recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer to a `POST /v1/messages` turn (a request that carries tools). */
export type MockReply =
  | { kind: 'text'; text: string; usage?: MockUsage; stopReason?: string }
  | { kind: 'tool_use'; name: string; input: Record<string, unknown>; text?: string; id?: string; usage?: MockUsage }
  | { kind: 'error'; status: 401 | 429 | 500 | 529 | number; type?: string; message?: string }
  /** Sends message_start and one content_block_start, then nothing more, never ending the response. */
  | { kind: 'stall' };

export interface MockUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  /** The path with the query string, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body text ('' when none). */
  raw: string;
  /** The body parsed as JSON, or null. */
  body: MessagesBody | null;
  /**
   * What the mock classed it as: a scripted turn (a request with tools), a compaction (with tools
   * too, but asking for a <summary>; answered without the queue), a side request without tools
   * (the session title), or anything else (HEAD /api/hello).
   */
  role: 'turn' | 'compact' | 'side' | 'other';
  status: number;
}

export interface MessagesBody {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  system?: unknown;
  max_tokens?: number;
  messages?: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  [k: string]: unknown;
}

export type ReplyFn = (body: MessagesBody, req: RecordedRequest) => MockReply | undefined;

export interface MockAnthropic {
  /** `http://127.0.0.1:PORT`, for ANTHROPIC_BASE_URL. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Scripted turns, taken in order by requests that carry tools; when empty, `fallback` answers. */
  queue: MockReply[];
  /** Queues replies for the next turns. */
  reply(...r: MockReply[]): void;
  /** Answers a turn when the queue is empty (default: a short text). */
  fallback: ReplyFn;
  /** The recorded scripted turns (requests with tools). */
  turns(): RecordedRequest[];
  /** Resolves with the first recorded request at index >= from that pred accepts. */
  waitFor(pred: (r: RecordedRequest) => boolean, timeoutMs?: number, from?: number): Promise<RecordedRequest>;
  /** Ends stalled streams (so a test can let Claude Code go on) and closes the server. */
  close(): Promise<void>;
}

/** The last role:"user" message of a request (the messages array may end with a role:"system" one). */
export function lastUserMessage(
  body: MessagesBody | null,
): { role: string; content: string | Array<Record<string, unknown>> } | undefined {
  const msgs = body?.messages ?? [];
  for (let i = msgs.length - 1; i >= 0; i--) if (msgs[i]!.role === 'user') return msgs[i];
  return undefined;
}

/** The text of a message's text blocks, joined by newlines (system reminders included). */
export function messageText(m: { content: string | Array<Record<string, unknown>> } | undefined): string {
  if (!m) return '';
  if (typeof m.content === 'string') return m.content;
  return m.content
    .map((b) => (b.type === 'text' ? String(b.text) : b.type === 'tool_result' ? toolResultText(b) : ''))
    .join('\n');
}

function toolResultText(b: Record<string, unknown>): string {
  const c = b.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c))
    return c.map((x: Record<string, unknown>) => (x.type === 'text' ? String(x.text) : '')).join('\n');
  return '';
}

/** The tool_result blocks of a request's last user message. */
export function toolResults(body: MessagesBody | null): Array<Record<string, unknown>> {
  const m = lastUserMessage(body);
  if (!m || typeof m.content === 'string') return [];
  return m.content.filter((b) => b.type === 'tool_result');
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const ERROR_MESSAGES: Record<number, string> = {
  401: 'invalid x-api-key',
  429: 'Number of request tokens has exceeded your per-minute rate limit',
  529: 'Overloaded',
};

let nextId = 1;
const id = (prefix: string): string => `${prefix}_mock${String(nextId++).padStart(6, '0')}`;

export async function startMockAnthropic(opts: { log?: (line: string) => void } = {}): Promise<MockAnthropic> {
  const requests: RecordedRequest[] = [];
  const queue: MockReply[] = [];
  const waiters = new Set<() => void>();
  const stalled = new Set<ServerResponse>();
  const log = opts.log ?? (() => {});

  const mock: MockAnthropic = {
    url: '',
    port: 0,
    requests,
    queue,
    reply: (...r) => void queue.push(...r),
    fallback: () => ({ kind: 'text', text: 'OK from the mock.' }),
    turns: () => requests.filter((r) => r.role === 'turn'),
    waitFor(pred, timeoutMs = 60_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = requests.slice(from).find(pred);
          if (hit) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(hit);
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          const seen = requests.map((r) => `${r.method} ${r.url} (${r.role})`).join(', ');
          reject(new Error(`mock-anthropic: no matching request within ${timeoutMs} ms; seen: ${seen}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const res of stalled) res.destroy();
      stalled.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const record = (r: RecordedRequest): void => {
    requests.push(r);
    log(`${r.method} ${r.url} -> ${r.status} (${r.role})`);
    for (const w of [...waiters]) w();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: MessagesBody | null = null;
    try {
      body = raw ? (JSON.parse(raw) as MessagesBody) : null;
    } catch {
      body = null;
    }
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    const rec: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? '',
      url,
      headers: req.headers,
      raw,
      body,
      role: 'other',
      status: 200,
    };

    if (req.method === 'POST' && path === '/v1/messages') {
      const hasTools = Array.isArray(body?.tools) && body.tools.length > 0;
      rec.role = !hasTools ? 'side' : isCompaction(body) ? 'compact' : 'turn';
      // A request without tools (the session title, and similar side questions) gets a short
      // text and leaves the scripted queue alone; so does a compaction (/compact sends the tools
      // too, and retries once with a sterner instruction when the answer has no <summary>).
      let reply: MockReply;
      if (rec.role === 'side')
        reply = { kind: 'text', text: sideAnswer(body), usage: { input_tokens: 50, output_tokens: 5 } };
      else if (rec.role === 'compact')
        reply = { kind: 'text', text: COMPACT_SUMMARY, usage: { input_tokens: 3000, output_tokens: 200 } };
      else reply = queue.shift() ?? mock.fallback(body!, rec) ?? { kind: 'text', text: 'OK' };
      if (reply.kind === 'error') rec.status = reply.status;
      record(rec);
      return answer(res, body, reply, stalled);
    }
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      record(rec);
      return json(res, 200, { input_tokens: Math.max(1, Math.ceil(raw.length / 4)) });
    }
    // HEAD /api/hello (the connectivity check at start) and anything else: 200 with an empty JSON
    // object (a HEAD gets headers only), so start-up never waits on the mock.
    record(rec);
    json(res, 200, {});
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`mock-anthropic: ${String(err)}`);
      if (!res.headersSent) json(res, 500, { type: 'error', error: { type: 'api_error', message: String(err) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  mock.port = (server.address() as AddressInfo).port;
  mock.url = `http://127.0.0.1:${mock.port}`;
  return mock;
}

/** What the mock answers a compaction with: the <analysis> and <summary> blocks Claude Code asks for. */
export const COMPACT_SUMMARY =
  '<analysis>Mock analysis.</analysis>\n<summary>1. Primary Request and Intent: mock conversation summary.</summary>';

/** A compaction request: its last user message asks for the conversation's summary in <summary> tags. */
export function isCompaction(body: MessagesBody | null): boolean {
  const text = messageText(lastUserMessage(body));
  return text.includes('<summary>') && /Respond with plain text only|provide your summary/i.test(text);
}

function sideAnswer(body: MessagesBody | null): string {
  // The title request asks for JSON ({"title": ...}) in 2.1.328's prompt; a plain short text also works.
  const text = JSON.stringify(body?.system ?? '') + messageText(lastUserMessage(body));
  return /title/i.test(text) ? '{"title": "Mock session"}' : 'Mock side answer.';
}

function json(res: ServerResponse, status: number, obj: unknown): void {
  const s = JSON.stringify(obj);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(s),
    'request-id': id('req'),
  });
  res.end(s);
}

function usageOf(u: MockUsage | undefined): Required<MockUsage> {
  return {
    input_tokens: u?.input_tokens ?? 1000,
    output_tokens: u?.output_tokens ?? 20,
    cache_creation_input_tokens: u?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u?.cache_read_input_tokens ?? 0,
  };
}

/** The content blocks of a reply, as the API's message objects carry them. */
function blocksOf(reply: Exclude<MockReply, { kind: 'error' } | { kind: 'stall' }>): Array<Record<string, unknown>> {
  if (reply.kind === 'text') return [{ type: 'text', text: reply.text }];
  const blocks: Array<Record<string, unknown>> = [];
  if (reply.text) blocks.push({ type: 'text', text: reply.text });
  blocks.push({ type: 'tool_use', id: reply.id ?? id('toolu'), name: reply.name, input: reply.input });
  return blocks;
}

function answer(res: ServerResponse, body: MessagesBody | null, reply: MockReply, stalled: Set<ServerResponse>): void {
  const model = body?.model ?? 'claude-mock';
  if (reply.kind === 'error') {
    const type = reply.type ?? ERROR_TYPES[reply.status] ?? 'api_error';
    const headers: Record<string, string> = {};
    if (reply.status === 429) headers['retry-after'] = '1';
    res.setHeader('x-should-retry', 'false');
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    return json(res, reply.status, {
      type: 'error',
      error: { type, message: reply.message ?? ERROR_MESSAGES[reply.status] ?? type },
    });
  }
  const msgId = id('msg');
  if (!body?.stream) {
    if (reply.kind === 'stall') {
      stalled.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      return;
    }
    const u = usageOf(reply.usage);
    const content = blocksOf(reply);
    return json(res, 200, {
      id: msgId,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: reply.kind === 'tool_use' ? 'tool_use' : (reply.stopReason ?? 'end_turn'),
      stop_sequence: null,
      usage: u,
    });
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'request-id': id('req'),
  });
  const send = (event: string, data: unknown): void =>
    void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const u = reply.kind === 'stall' ? usageOf(undefined) : usageOf(reply.usage);
  send('message_start', {
    type: 'message_start',
    message: {
      id: msgId,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...u, output_tokens: 1 },
    },
  });
  if (reply.kind === 'stall') {
    send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    stalled.add(res);
    res.on('close', () => stalled.delete(res));
    return;
  }
  blocksOf(reply).forEach((b, index) => {
    if (b.type === 'text') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      // Two deltas, so the stream really is a stream.
      const text = String(b.text);
      const cut = Math.ceil(text.length / 2);
      for (const part of [text.slice(0, cut), text.slice(cut)].filter(Boolean)) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } });
      }
    } else {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
      });
      send('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
      });
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  });
  send('message_delta', {
    type: 'message_delta',
    delta: {
      stop_reason: reply.kind === 'tool_use' ? 'tool_use' : (reply.stopReason ?? 'end_turn'),
      stop_sequence: null,
    },
    usage: { output_tokens: u.output_tokens },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}
