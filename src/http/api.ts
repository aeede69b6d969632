// The JSON, Prometheus and health endpoints: each reads the FleetSource and answers one request.
import type { ServerResponse } from 'node:http';
import { scrub } from '../spec/secrets.js';
import type { AgentItem, FleetSource } from './fleet-source.js';
import { mergeEvents, mergedTitle } from './merge-events.js';

export const MAX_OUTPUT_LINES = 1000;
const DEFAULT_OUTPUT_LINES = 100;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(`${JSON.stringify(body)}\n`);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text.endsWith('\n') ? text : `${text}\n`);
}

export async function metrics(source: FleetSource, res: ServerResponse): Promise<void> {
  const m = await source.metrics();
  res.writeHead(200, { 'Content-Type': m.contentType, 'Cache-Control': 'no-store' });
  res.end(m.body);
}

export function health(ok: boolean, what: string, res: ServerResponse): void {
  sendText(res, ok ? 200 : 503, ok ? 'ok' : `not ${what}`);
}

export function agents(source: FleetSource, res: ServerResponse): void {
  sendJson(res, 200, { items: source.items() });
}

function scrubItem(item: AgentItem, secrets: readonly string[]): AgentItem {
  return {
    ...item,
    message: scrub(item.message, secrets),
    conditions: item.conditions.map((c) => ({ ...c, message: scrub(c.message, secrets) })),
  };
}

function outputLines(query: URLSearchParams): number {
  const n = Number(query.get('lines') ?? DEFAULT_OUTPUT_LINES);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, MAX_OUTPUT_LINES) : DEFAULT_OUTPUT_LINES;
}

/** One agent: item, spec summary, merged events and its last output lines, every known secret
 * value of that agent scrubbed. Output is withheld when the secrets cannot be determined. */
export async function agentDetail(
  source: FleetSource,
  name: string,
  query: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  const d = source.detail(name);
  if (!d) {
    sendJson(res, 404, { error: `unknown agent: ${name}` });
    return;
  }
  let secrets: readonly string[] = [];
  let output = '';
  let outputError: string | null = null;
  try {
    secrets = await source.secrets(name);
  } catch (err) {
    outputError = `output withheld: cannot read this agent's secrets (${(err as Error).message})`;
  }
  const lines = outputLines(query);
  if (outputError === null && lines > 0) {
    try {
      output = scrub(await source.logs(name, lines), secrets);
    } catch (err) {
      outputError = scrub((err as Error).message, secrets);
    }
  }
  sendJson(res, 200, {
    item: scrubItem(d.item, secrets),
    spec: d.spec,
    events: mergeEvents(d.events).map((e) => ({ ...e, message: scrub(e.message, secrets), title: mergedTitle(e) })),
    output,
    outputError,
  });
}
