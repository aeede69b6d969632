// Pure engine pieces: resync's drift filter, request application, metrics address, durations, secrets.
import { describe, expect, it } from 'vitest';
import { needsReconcile } from '../../src/engine/drift.js';
import { applyRequest, type AgentRequest } from '../../src/engine/requests.js';
import { parseMetricsAddr } from '../../src/engine/metrics.js';
import { parseDuration } from '../../src/util/duration.js';
import { emptyRecord, withEvent, MAX_EVENTS, type AgentRecord } from '../../src/registry/record.js';
import { isSecretKey, redactSpec, sealSpec, scrub } from '../../src/spec/secrets.js';
import { newLines } from '../../src/cli/commands/logs.js';
import type { DesiredAgent } from '../../src/spec/load.js';
import type { ObservedAgent } from '../../src/runtime/types.js';
import { AgentSpecBody } from '../../src/spec/schema.js';

const OWNER = 'host:abc';
const desired = (extra: Record<string, unknown> = {}, hash = 'h1'): DesiredAgent => {
  const spec = AgentSpecBody.parse({ command: ['sleep', '1'], ...extra });
  return { name: 'a', file: 'a.yaml', line: 1, hash, spec, document: { apiVersion: 'agentctl/v1', kind: 'Agent', metadata: { name: 'a', labels: {}, annotations: {} }, spec } };
};
const rec = (o: Partial<AgentRecord> = {}): AgentRecord => ({ ...emptyRecord('a', 'tmux', OWNER, 0), specHash: 'h1', handle: 't1', phase: 'Running', ready: true, startedAt: 1, ...o });
const obs = (o: Partial<ObservedAgent> = {}): ObservedAgent => ({ name: 'a', runtime: 'tmux', handle: 't1', hash: 'h1', owner: OWNER, alive: true, ...o });

describe('needsReconcile (resync drift filter)', () => {
  it.each([
    ['in sync', desired(), rec(), obs(), false],
    ['never reconciled', desired(), undefined, undefined, true],
    ['owned session without record or spec', undefined, undefined, obs(), true],
    ['foreign session without record or spec', undefined, undefined, obs({ owner: 'other' }), false],
    ['spec removed', undefined, rec(), obs(), true],
    ['session killed by hand', desired(), rec(), undefined, true],
    ['hash changed on the live object', desired(), rec(), obs({ hash: 'zz' }), true],
    ['spec changed', desired({}, 'h2'), rec(), obs(), true],
    ['another incarnation', desired(), rec(), obs({ handle: 't2' }), true],
    ['dead, exit not recorded', desired(), rec(), obs({ alive: false }), true],
    ['dead, exit recorded, backing off', desired(), rec({ phase: 'CrashLoopBackOff', lastExit: { code: 1, signal: null, at: 2, handle: 't1' } }), obs({ alive: false }), false],
    ['stopped and gone', desired({ state: 'Stopped' }), rec({ phase: 'Stopped', handle: null }), undefined, false],
    ['stopped but running', desired({ state: 'Stopped' }), rec({ phase: 'Stopped', handle: null }), obs(), true],
    ['suspended, running', desired(), rec({ suspended: true, phase: 'Suspended' }), obs(), false],
    ['suspended with stop, running', desired(), rec({ suspended: true, suspendStop: true, phase: 'Suspended' }), obs(), true],
    ['succeeded and gone', desired(), rec({ phase: 'Succeeded', handle: null }), undefined, false],
  ] as const)('%s', (_n, d, r, o, want) => {
    expect(needsReconcile(d, r, o, OWNER)).toBe(want);
  });
});

describe('applyRequest', () => {
  const req = (type: AgentRequest['type'], stop = false): AgentRequest => ({ type, names: ['a'], stop, at: 1000, from: 'me' });
  it('restart stamps the request time', () => {
    const r = applyRequest(rec(), req('restart'));
    expect(r.restartRequestedAt).toBe(1000);
    expect(r.events.at(-1)!.reason).toBe('RestartRequested');
  });
  it('suspend and resume toggle reconciling, with or without stopping', () => {
    const s = applyRequest(rec(), req('suspend', true));
    expect([s.suspended, s.suspendStop]).toEqual([true, true]);
    const r = applyRequest(s, req('resume'));
    expect([r.suspended, r.suspendStop]).toEqual([false, false]);
    expect(r.events.map((e) => e.reason)).toEqual(['Suspended', 'Resumed']);
  });
});

describe('events', () => {
  it('fold repeats into a count and keep the last 50', () => {
    let ev = withEvent([], { time: 't', type: 'Warning', reason: 'BackOff', message: 'm' });
    ev = withEvent(ev, { time: 't2', type: 'Warning', reason: 'BackOff', message: 'm' });
    expect(ev).toHaveLength(1);
    expect(ev[0]!.count).toBe(2);
    for (let i = 0; i < 80; i++) ev = withEvent(ev, { time: 't', type: 'Normal', reason: 'X', message: String(i) });
    expect(ev).toHaveLength(MAX_EVENTS);
    expect(ev.at(-1)!.message).toBe('79');
  });
});

describe('parseMetricsAddr', () => {
  it.each([
    ['9464', '127.0.0.1', 9464],
    [':9464', '127.0.0.1', 9464],
    ['0.0.0.0:80', '0.0.0.0', 80],
    ['[::1]:9000', '::1', 9000],
    ['localhost:1', 'localhost', 1],
  ])('%s', (addr, host, port) => expect(parseMetricsAddr(addr)).toEqual({ host, port }));
  it.each(['', 'abc', '1:2:3', '70000'])('rejects %j', (addr) => expect(() => parseMetricsAddr(addr)).toThrow());
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5', 1500],
    ['0', 0],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'soon', '-1s', '5 parsecs'])('rejects %j', (text) => expect(() => parseDuration(text)).toThrow(/not a duration/));
});

describe('secrets', () => {
  it.each([
    ['API_TOKEN', true],
    ['github_token', true],
    ['DB_PASSWORD', true],
    ['CLIENT_SECRET', true],
    ['SSH_KEY', true],
    ['KEYBOARD', true],
    ['LOG_LEVEL', false],
    ['HOME', false],
  ])('%s is secret: %s', (k, want) => expect(isSecretKey(k)).toBe(want));

  it('redacts and seals env values of secret keys only', () => {
    const spec = { command: ['x'], env: { API_TOKEN: 'tok-1', LOG_LEVEL: 'info' } };
    expect(redactSpec(spec).env).toEqual({ API_TOKEN: '<redacted>', LOG_LEVEL: 'info' });
    const sealed = sealSpec(spec).env as Record<string, string>;
    expect(sealed.API_TOKEN).toMatch(/^<secret sha256:[0-9a-f]{16}>$/);
    expect(sealed.API_TOKEN).not.toContain('tok-1');
    expect((sealSpec({ env: { API_TOKEN: 'tok-1' } }).env as Record<string, string>).API_TOKEN).toBe(sealed.API_TOKEN);
    expect((sealSpec({ env: { API_TOKEN: 'tok-2' } }).env as Record<string, string>).API_TOKEN).not.toBe(sealed.API_TOKEN);
  });

  it('scrubs secret values out of text', () => {
    expect(scrub('token is hunter22 and hunter22', ['hunter22'])).toBe('token is <redacted> and <redacted>');
  });
});

describe('logs -f', () => {
  it.each([
    [['a', 'b'], ['a', 'b', 'c'], ['c']],
    [['a', 'b'], ['b', 'c', 'd'], ['c', 'd']],
    [['a'], ['x', 'y'], ['x', 'y']],
    [[], ['x'], ['x']],
    [['a', 'b'], ['a', 'b'], []],
  ])('%j then %j prints %j', (prev, next, want) => expect(newLines(prev, next)).toEqual(want));
});
