// Who may read the server: the bearer token (compared in constant time) and the Host header check.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isLoopbackHost } from './address.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time in the token's content and length: both sides are hashed to 32 bytes first. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** `Authorization: Bearer <token>`, else `?token=` (EventSource cannot set headers). */
export function requestToken(authorization: string | undefined, query: URLSearchParams): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (m) return m[1];
  return query.get('token') ?? undefined;
}

/** A page on a loopback address can be read by any web site the browser visits, through DNS
 * rebinding (evil.example resolving to 127.0.0.1), unless the Host header must name loopback. */
export function loopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim());
  if (!m) return false;
  return isLoopbackHost(m[1]!.replace(/^\[|\]$/g, ''));
}
