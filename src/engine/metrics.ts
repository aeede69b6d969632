// Prometheus metrics of the generic loop with controller-runtime's names (prom-client).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ControllerMetrics } from './controller.js';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface Metrics {
  registry: Registry;
  hooks: ControllerMetrics;
}

/** The work queue's and the reconciler's metrics for the controller named `controller`; a
 * controller adds its own series to `registry`. */
export function createMetrics(controller: string): Metrics {
  const CONTROLLER = controller;
  const registry = new Registry();
  // The event-loop lag histogram samples at this resolution; prom-client's 10 ms default woke an
  // idle controller 100 times a second (most of its idle CPU, measured with perf). A second still
  // shows any stall worth alerting on.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  const labels = { name: CONTROLLER };
  const depth = new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of the work queue',
    labelNames: ['name'],
    registers: [registry],
  });
  const adds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total adds handled by the work queue',
    labelNames: ['name'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total rate-limited retries handled by the work queue',
    labelNames: ['name'],
    registers: [registry],
  });
  const queued = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long an item stays in the work queue before being processed',
    labelNames: ['name'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const worked = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long processing an item from the work queue takes',
    labelNames: ['name'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const total = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'],
    registers: [registry],
  });
  const time = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'],
    buckets: BUCKETS,
    registers: [registry],
  });
  // Zero-valued series exist from the start, so rates work from the first scrape.
  for (const r of ['success', 'error', 'requeue_after']) total.inc({ controller: CONTROLLER, result: r }, 0);
  errors.inc({ controller: CONTROLLER }, 0);
  adds.inc(labels, 0);
  retries.inc(labels, 0);
  depth.set(labels, 0);
  return {
    registry,
    hooks: {
      add: () => adds.inc(labels),
      depth: (n) => depth.set(labels, n),
      retry: () => retries.inc(labels),
      queued: (s) => queued.observe(labels, s),
      worked: (s) => worked.observe(labels, s),
      reconciled: (result, seconds) => {
        total.inc({ controller: CONTROLLER, result });
        if (result === 'error') errors.inc({ controller: CONTROLLER });
        time.observe({ controller: CONTROLLER }, seconds);
      },
    },
  };
}
