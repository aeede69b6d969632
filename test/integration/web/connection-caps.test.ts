// Connection caps of the HTTP server: beyond the per-client and the total cap, connections are closed at once.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { startHttpServer, type HttpServer } from '../../../src/http/server.js';
import { StubFleet } from '../../helpers/fleet-stub.js';

let server: HttpServer | undefined;
const socks: Socket[] = [];
afterEach(async () => {
  for (const s of socks.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

/** Opens a connection from `from` and says, after 300 ms, whether the server has closed it. */
function probe(port: number, from: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: from });
    socks.push(s);
    let closed = false;
    s.on('error', () => undefined);
    s.on('close', () => (closed = true));
    setTimeout(() => resolve(closed), 300);
  });
}

describe('connection caps', () => {
  it('closes what is over the per-client cap at once, other clients still get in, up to the total cap', async () => {
    server = await startHttpServer({ addr: '127.0.0.1:0', source: new StubFleet(), caps: { total: 5, perClient: 3 } });
    const one: boolean[] = [];
    for (let i = 0; i < 5; i++) one.push(await probe(server.port, '127.0.0.1'));
    expect(one).toEqual([false, false, false, true, true]);
    expect(await probe(server.port, '127.0.0.2')).toBe(false);
    expect(await probe(server.port, '127.0.0.3')).toBe(false);
    // 5 open now: the total cap closes the next one whoever it is from.
    expect(await probe(server.port, '127.0.0.4')).toBe(true);
    expect(server.refused()).toBe(3);
    // A client that closes its connections gets in again.
    for (const s of socks.splice(0)) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await probe(server.port, '127.0.0.1')).toBe(false);
  });

  it('sizes the caps from the descriptor limit by default', async () => {
    server = await startHttpServer({ addr: '127.0.0.1:0', source: new StubFleet() });
    expect(server.caps.total).toBeGreaterThanOrEqual(8);
    expect(server.caps.total).toBeLessThanOrEqual(512);
  });
});
