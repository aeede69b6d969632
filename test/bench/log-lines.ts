// Parses agentctl's JSON log lines (pino, one object per line on stderr) (pure).

export interface LogLine {
  msg?: string;
  agent?: string;
  action?: string;
  durationMs?: number;
  subprocesses?: number;
  observeCalls?: Record<string, number>;
  [key: string]: unknown;
}

export function parseLogLine(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as LogLine) : undefined;
  } catch {
    return undefined;
  }
}

export function parseLogLines(stderr: string): LogLine[] {
  const out: LogLine[] = [];
  for (const t of stderr.split('\n')) {
    const l = parseLogLine(t);
    if (l) out.push(l);
  }
  return out;
}

/** The summary `reconcile --once --log-level debug` logs last. */
export interface OnceDone {
  subprocesses: number;
  observeCalls: number;
  durationMs: number;
}

export function onceDone(lines: readonly LogLine[]): OnceDone | undefined {
  const l = lines.find((x) => x.msg === 'reconcile --once done');
  if (!l) return undefined;
  const calls = Object.values(l.observeCalls ?? {}).reduce((a, b) => a + b, 0);
  return { subprocesses: l.subprocesses ?? Number.NaN, observeCalls: calls, durationMs: l.durationMs ?? Number.NaN };
}
