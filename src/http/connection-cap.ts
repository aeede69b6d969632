// Caps the HTTP server's open connections, in total and per client address: the rest are closed at once.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { resourceExhausted } from '../util/resource-alarm.js';

export interface ConnectionCaps {
  total: number;
  perClient: number;
}

/** Most connections at once by default; never more than a quarter of the descriptors the process
 * may open, so a flood cannot take the ones tmux, ssh and the registry need. */
export const DEFAULT_CAPS: ConnectionCaps = { total: 512, perClient: 64 };

/** The caps for a process that may open `fdSoft` files (pure). */
export function capsFor(fdSoft: number | undefined, base: ConnectionCaps = DEFAULT_CAPS): ConnectionCaps {
  if (fdSoft === undefined || !Number.isFinite(fdSoft)) return base;
  const total = Math.max(8, Math.min(base.total, Math.floor(fdSoft / 4)));
  return { total, perClient: Math.max(1, Math.min(base.perClient, Math.ceil(total / 2))) };
}

/** Applies `caps` to `server`; returns how many connections were refused so far. */
export function capConnections(server: Server, caps: ConnectionCaps): () => number {
  let refused = 0;
  const perClient = new Map<string, number>();
  // Node closes connections beyond maxConnections before they reach 'connection' ('drop').
  server.maxConnections = caps.total;
  server.on('drop', () => {
    refused++;
    resourceExhausted('http connections', `total cap ${caps.total}`);
  });
  server.prependListener('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? '?';
    const open = (perClient.get(client) ?? 0) + 1;
    if (open > caps.perClient) {
      refused++;
      resourceExhausted('http connections', `per-client cap ${caps.perClient} (${client})`);
      socket.destroy();
      return;
    }
    perClient.set(client, open);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    });
  });
  return () => refused;
}
