// The one pino logger, made at start-up: JSON, or one short line per record for a person at a terminal; results never go here.
import { pino, type Logger } from 'pino';
import { TtyLines } from './tty-lines.js';

export type LogFormat = 'json' | 'pretty';

/** `pretty` writes through `tty` (one line per record, a live line below); `json` straight to fd 2. */
export function createLogger(level: string, format: LogFormat, tty?: TtyLines): Logger {
  const options = { level, base: null, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty') return pino(options, tty ?? new TtyLines(process.stderr, false));
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
