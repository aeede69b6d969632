// The loop's metrics: controller-runtime's names, every series present from the first scrape.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/engine/metrics.js';
import { parseHttpAddr } from '../../../src/http/address.js';

describe('createMetrics', () => {
  it('exposes the reconcile and work queue series at zero before anything happened', async () => {
    const m = createMetrics('agent');
    const text = await m.registry.metrics();
    for (const line of [
      'controller_runtime_reconcile_total{controller="agent",result="success"} 0',
      'controller_runtime_reconcile_total{controller="agent",result="error"} 0',
      'controller_runtime_reconcile_errors_total{controller="agent"} 0',
      'workqueue_depth{name="agent"} 0',
      'workqueue_adds_total{name="agent"} 0',
      'workqueue_retries_total{name="agent"} 0',
    ])
      expect(text).toContain(line);
  });

  it('counts a reconcile and an error through the hooks', async () => {
    const m = createMetrics('agent');
    m.hooks.reconciled?.('success', 0.01);
    m.hooks.reconciled?.('error', 0.02);
    const text = await m.registry.metrics();
    expect(text).toContain('controller_runtime_reconcile_total{controller="agent",result="success"} 1');
    expect(text).toContain('controller_runtime_reconcile_errors_total{controller="agent"} 1');
  });
});

describe('--metrics-addr, the old name of --http-addr, parses the same', () => {
  it.each([
    ['9464', '127.0.0.1', 9464],
    [':9464', '127.0.0.1', 9464],
    ['0.0.0.0:80', '0.0.0.0', 80],
    ['[::1]:9000', '::1', 9000],
    ['localhost:1', 'localhost', 1],
  ])('%s', (addr, host, port) => expect(parseHttpAddr(addr, '--metrics-addr')).toMatchObject({ host, port }));
  it.each(['', 'abc', '1:2:3', '70000'])('rejects %j', (addr) =>
    expect(() => parseHttpAddr(addr, '--metrics-addr')).toThrow(),
  );
});
