// /api/events against a real server: snapshot, changes only, keep-alive, and slow clients dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startHttpServer, type HttpServer } from '../../../src/http/server.js';
import { StubFleet, stubItem } from '../../helpers/fleet-stub.js';
import { readSse, type SseReader } from '../../helpers/sse.js';
import { waitFor } from '../../helpers/cli.js';

let server: HttpServer | undefined;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await server?.close();
  server = undefined;
});

async function open(s: HttpServer, path = '/api/events'): Promise<SseReader> {
  const r = await readSse(`${s.url}${path}`);
  readers.push(r);
  return r;
}

describe('server-sent events', () => {
  it('sends a snapshot, then only the items that really changed, and deletions', async () => {
    const fleet = new StubFleet([stubItem('a'), stubItem('b')]);
    server = await startHttpServer({ addr: '0', source: fleet, stream: { flushMs: 10 } });
    const r = await open(server);
    const snap = await r.next((e) => e.event === 'snapshot');
    expect((JSON.parse(snap.data) as { items: { name: string }[] }).items.map((i) => i.name)).toEqual(['a', 'b']);

    // Announced but unchanged: nothing goes out. Then a real change: only that item.
    fleet.announce(['a', 'b']);
    fleet.announce(null);
    fleet.set(stubItem('b', { phase: 'CrashLoopBackOff', ready: false, message: 'back-off 10s' }));
    const change = await r.next((e) => e.event === 'change');
    expect(JSON.parse(change.data)).toMatchObject({ upsert: [{ name: 'b', phase: 'CrashLoopBackOff' }], delete: [] });
    expect(r.events.filter((e) => e.event === 'change')).toHaveLength(1);

    const seen = r.events.length;
    fleet.set(stubItem('c'));
    fleet.remove('a');
    await r.next((e) => e.event === 'change' && e.data.includes('"c"'), seen);
    await r.next((e) => e.event === 'change' && e.data.includes('"a"'), seen);
    const all = r.events.slice(seen).map((e) => JSON.parse(e.data) as { upsert: { name: string }[]; delete: string[] });
    expect(all.flatMap((c) => c.upsert.map((i) => i.name))).toEqual(['c']);
    expect(all.flatMap((c) => c.delete)).toEqual(['a']);

    // A second client starts from the current fleet.
    const r2 = await open(server);
    const snap2 = await r2.next((e) => e.event === 'snapshot');
    expect(
      (JSON.parse(snap2.data) as { items: { name: string; phase: string }[] }).items.map((i) => `${i.name}:${i.phase}`),
    ).toEqual(['b:CrashLoopBackOff', 'c:Running']);
    expect(server.streams()).toBe(2);
  });

  it('finds a change nobody announced at the next keep-alive, and sends keep-alive comments', async () => {
    const fleet = new StubFleet([stubItem('a')]);
    server = await startHttpServer({ addr: '0', source: fleet, stream: { keepAliveMs: 100, flushMs: 10 } });
    const r = await open(server);
    await r.next((e) => e.event === 'snapshot');
    fleet.set(stubItem('a', { restarts: 4 }), false);
    const change = await r.next((e) => e.event === 'change');
    expect(JSON.parse(change.data)).toMatchObject({ upsert: [{ name: 'a', restarts: 4 }] });
    await waitFor(async () => r.comments.includes('keep-alive'));
  });

  it('drops a client that stops reading, without holding up the others or buffering without bound', async () => {
    const big = 'x'.repeat(5_000);
    const names = Array.from({ length: 50 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
    const fleet = new StubFleet(names.map((n) => stubItem(n)));
    server = await startHttpServer({
      addr: '0',
      source: fleet,
      stream: { keepAliveMs: 100, flushMs: 5, stallMs: 500 },
    });

    // A client that sends its request and then never reads a byte.
    const slow = connect(server.port, '127.0.0.1');
    await new Promise<void>((res) => slow.once('connect', () => res()));
    slow.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
    slow.pause();
    const slowClosed = new Promise<void>((res) => slow.once('close', () => res()));
    slow.on('error', () => undefined);
    const fast = await open(server);
    await fast.next((e) => e.event === 'snapshot');
    await waitFor(async () => server!.streams() === 2);

    // Each round changes every item (a quarter MB of events); the slow client's socket fills up quickly.
    let round = 0;
    let backlog = 0;
    const pump = setInterval(() => {
      round++;
      for (const n of names) fleet.set(stubItem(n, { message: `${round} ${big}` }), false);
      fleet.announce(null);
      backlog = Math.max(backlog, server!.streamBacklog());
    }, 20);
    try {
      await waitFor(async () => server!.streams() === 1, 30_000);
      // The server hung up on it: reading again, it finds the end of the stream.
      slow.resume();
      await slowClosed;
      // At most the one write that found the socket full (a round is ~260 kB), not every round.
      expect(round).toBeGreaterThan(3);
      expect(backlog).toBeLessThan(2 * 300_000);
      // The reader kept up all along: it has the latest round's items.
      const last = round;
      clearInterval(pump);
      await fast.next((e) => e.event === 'change' && e.data.includes(`"message":"${last} x`), 0, 10_000);
    } finally {
      clearInterval(pump);
      slow.destroy();
    }
  });

  it('ends every stream and unsubscribes when the server closes', async () => {
    const fleet = new StubFleet([stubItem('a')]);
    const s = await startHttpServer({ addr: '0', source: fleet });
    const r = await open(s);
    await r.next((e) => e.event === 'snapshot');
    expect(fleet.listenerCount).toBe(1);
    await s.close();
    expect(fleet.listenerCount).toBe(0);
  });
});
