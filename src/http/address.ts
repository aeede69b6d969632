// Parses --http-addr and decides whether a bind address is loopback-only (pure).
import { isIP } from 'node:net';

export interface BindAddress {
  host: string;
  port: number;
}

export class AddressError extends Error {
  override name = 'AddressError';
}

/** `HOST:PORT`, `[V6]:PORT`, `:PORT` or `PORT`; without a host, loopback only. */
export function parseHttpAddr(addr: string, flag = '--http-addr'): BindAddress {
  const m = /^(?:(\[[^\]]+\]|[^:[\]]*):)?(\d+)$/.exec(addr.trim());
  if (!m) throw new AddressError(`${flag} must be HOST:PORT, [IPV6]:PORT or PORT (got "${addr}")`);
  const port = Number(m[2]);
  if (port > 65535) throw new AddressError(`${flag}: port out of range (${port})`);
  const bracketed = (m[1] ?? '').startsWith('[');
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
  if (bracketed && isIP(host) !== 6) throw new AddressError(`${flag}: not an IPv6 address: [${host}]`);
  return { host: host === '' ? '127.0.0.1' : host, port };
}

/** True when a server bound here is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** The refusal to serve a non-loopback address without a token, or null when the bind is fine. */
export function bindRefusal(a: BindAddress, token: string | undefined): string | null {
  if (isLoopbackHost(a.host) || (token !== undefined && token !== '')) return null;
  return (
    `refusing to serve on ${a.host}:${a.port} without a token: it is reachable from other machines; ` +
    'give --http-token (or AGENTCTL_HTTP_TOKEN), or bind loopback (e.g. 127.0.0.1:9464)'
  );
}

/** The shortest token accepted: a guessable one (`+`, a word) would unlock the API to anyone. */
export const MIN_TOKEN_LENGTH = 16;

/** Why a --http-token is refused (whitespace, or shorter than MIN_TOKEN_LENGTH), or null. The
 * empty string means "no token" (an unset AGENTCTL_HTTP_TOKEN in a unit file) and is not judged
 * here. A bearer header cannot carry whitespace, and `?token=+` decodes to a space. */
export function tokenRefusal(token: string | undefined): string | null {
  if (token === undefined || token === '') return null;
  if (/\s/.test(token)) return '--http-token must not contain whitespace';
  if (token.length < MIN_TOKEN_LENGTH)
    return `--http-token must be at least ${MIN_TOKEN_LENGTH} characters (got ${token.length}); e.g. \`openssl rand -hex 24\``;
  return null;
}

/** URL form of a bind address (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
