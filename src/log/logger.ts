// The one pino logger, made at start-up: JSON or pretty on stderr; results never go here.
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

// pino-pretty (and what it pulls in) is loaded only when asked for: most runs log JSON, and
// every command pays for what it loads at start.
const require = createRequire(import.meta.url);

export function createLogger(level: string, format: LogFormat): Logger {
  const options = { level, base: null, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'pretty') {
    const pretty = require('pino-pretty') as typeof PinoPretty;
    return pino(options, pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
