// Says clearly, at most once per interval, that a resource ran out (file descriptors, connections).
export type Resource = 'file descriptors' | 'processes' | 'http connections';

export type AlarmSink = (fields: Record<string, unknown>, msg: string) => void;

const INTERVAL_MS = 10_000;
const RESOURCE_CODES: Record<string, Resource> = {
  EMFILE: 'file descriptors',
  ENFILE: 'file descriptors',
  EAGAIN: 'processes',
};

let sink: AlarmSink | undefined;
const seen = new Map<Resource, { total: number; sinceLog: number; loggedAt: number }>();

/** Where the warnings go (the controller's logger); none: counted only. */
export function onResourceExhausted(s: AlarmSink | undefined): void {
  sink = s;
}

/** The resource an errno code means ran out, if it is one of those. */
export function exhaustedResource(code: string | undefined): Resource | undefined {
  return code === undefined ? undefined : RESOURCE_CODES[code];
}

/** Counts one exhaustion and warns when none was logged for this resource in the interval. */
export function resourceExhausted(resource: Resource, where: string, now = Date.now()): void {
  const s = seen.get(resource) ?? { total: 0, sinceLog: 0, loggedAt: -Infinity };
  s.total++;
  s.sinceLog++;
  seen.set(resource, s);
  if (now - s.loggedAt < INTERVAL_MS) return;
  const then =
    resource === 'http connections'
      ? 'new connections beyond the cap are closed at once'
      : 'what failed is retried with backoff';
  sink?.({ resource, where, count: s.sinceLog, total: s.total }, `resource exhausted: out of ${resource}; ${then}`);
  s.sinceLog = 0;
  s.loggedAt = now;
}

/** How often each resource ran out since start (for metrics and tests). */
export function exhaustedCounts(): Record<string, number> {
  return Object.fromEntries([...seen].map(([k, v]) => [k, v.total]));
}
