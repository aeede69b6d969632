// stderr for a person: each log record on one line, under which one live status line may sit
// (reconcile --once's "waiting: ..."); the live line is redrawn below every record.
import { formatRecord } from './line-format.js';

export interface TtyOut {
  write(text: string): unknown;
  columns?: number;
}

const CLEAR = '\r\u001b[2K';

export class TtyLines {
  private live = '';

  constructor(
    private readonly out: TtyOut,
    readonly colour: boolean,
  ) {}

  /** pino's destination: one JSON record per call. */
  write(json: string): void {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(json) as Record<string, unknown>;
    } catch {
      rec = { msg: json.trimEnd() };
    }
    this.print(formatRecord(rec, this.colour));
  }

  /** A line above the live one. */
  print(line: string): void {
    this.out.write(`${this.live ? CLEAR : ''}${line}\n${this.live}`);
  }

  /** Shows (or replaces) the live line, cut to the terminal's width so it never wraps. */
  setLive(text: string): void {
    const width = Math.max(10, (this.out.columns || 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    if (line === this.live) return;
    this.out.write(`${CLEAR}${line}`);
    this.live = line;
  }

  clearLive(): void {
    if (!this.live) return;
    this.out.write(CLEAR);
    this.live = '';
  }
}
