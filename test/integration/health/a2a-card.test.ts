// healthCheck.a2aCard against real HTTP servers: a card that names the agent passes; every other answer fails, in time.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchCard, MAX_CARD_BYTES } from '../../../controllers/agent/a2a-card.js';
import { sandbox, waitFor } from '../../helpers/cli.js';
import { testTmux } from '../../helpers/tmux.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/.well-known/agent.json`;
}

describe('fetchCard', () => {
  it('passes a card naming the agent, and fails a wrong name, non-JSON, an error status, a stall, a huge body', async () => {
    const card = await serve((_q, r) => r.end(JSON.stringify({ name: 'researcher', skills: [] })));
    expect(await fetchCard(card, 'researcher', 2000)).toEqual({ ok: true, message: '' });
    expect((await fetchCard(card, 'writer', 2000)).message).toBe('agent card names "researcher", not "writer"');
    const html = await serve((_q, r) => r.end('<html>not a card</html>'));
    expect((await fetchCard(html, 'researcher', 2000)).message).toBe('agent card is not JSON');
    const gone = await serve((_q, r) => {
      r.statusCode = 404;
      r.end('{}');
    });
    expect((await fetchCard(gone, 'researcher', 2000)).message).toBe('agent card: HTTP 404');
    const stall = await serve(() => {});
    const t0 = Date.now();
    expect((await fetchCard(stall, 'researcher', 500)).message).toBe('agent card: timed out after 0.5s');
    expect(Date.now() - t0).toBeLessThan(5000);
    const huge = await serve((_q, r) => r.end(`{"name":"researcher","x":"${'x'.repeat(MAX_CARD_BYTES)}"}`));
    expect((await fetchCard(huge, 'researcher', 2000)).message).toBe(`agent card larger than ${MAX_CARD_BYTES} bytes`);
    const closed = await serve(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    expect((await fetchCard(closed, 'researcher', 2000)).message).toBe('agent card: ECONNREFUSED');
  });
});

describe('an agent with healthCheck.a2aCard', () => {
  it('is Ready once its card names it; a card naming another agent is Unhealthy', async () => {
    const tmux = testTmux();
    const sb = sandbox(tmux.socket);
    try {
      // Each agent serves its card on its own port (a tiny node server as the agent's command).
      const server = (name: string, port: number) => [
        process.execPath,
        '-e',
        `require('http').createServer((q,r)=>r.end(JSON.stringify({name:${JSON.stringify(name)}}))).listen(${port},'127.0.0.1')`,
      ];
      const port = 20000 + Math.floor(Math.random() * 20000);
      const spec = (name: string, served: string, p: number) =>
        `apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: ${name}}\nspec: ${JSON.stringify({
          command: server(served, p),
          workdir: sb.dir,
          healthCheck: { a2aCard: { url: `http://127.0.0.1:${p}/.well-known/agent.json` }, periodSeconds: 1 },
        })}\n`;
      sb.write('good.yaml', spec('good', 'good', port));
      sb.write('bad.yaml', spec('bad', 'someone-else', port + 1));
      await sb.run(['reconcile', '--once', '--timeout', '15s']);
      const items = async () =>
        (JSON.parse((await sb.run(['get', '-o', 'json'])).stdout) as { items: { name: string; ready: boolean }[] })
          .items;
      expect((await items()).find((i) => i.name === 'good')?.ready).toBe(true);
      expect((await items()).find((i) => i.name === 'bad')?.ready).toBe(false);
      await waitFor(
        async () => (await sb.run(['describe', 'bad'])).stdout.includes('agent card names "someone-else", not "bad"'),
        20_000,
      );
    } finally {
      await tmux.kill();
      sb.cleanup();
    }
  });
});
