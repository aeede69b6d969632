// One short line per log record, for a person at a terminal (pure): time, level when it matters, agent, message, the rest as key=value.
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Fields the line already shows, or that say nothing to a person reading it. */
const SHOWN = new Set([
  'level',
  'time',
  'msg',
  'agent',
  'reason',
  'error',
  'action',
  'durationMs',
  'handle',
  'pid',
  'hostname',
]);
const MAX_VALUE = 80;

function value(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) s = v.join(',');
  else s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

const clock = (time: unknown): string => {
  const d = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date();
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

/** `12:00:01 web: started agent (NotRunning)`, `12:00:02 WARN nobin: exited with code 127 (BackOff)`. */
export function formatRecord(rec: Record<string, unknown>, colour: boolean): string {
  const paint = (s: Style, t: string): string => (colour ? styleText(s, t, { validateStream: false }) : t);
  const level = typeof rec.level === 'number' ? rec.level : 30;
  const tag =
    level >= 50
      ? paint('red', 'ERROR ')
      : level >= 40
        ? paint('yellow', 'WARN ')
        : level < 30
          ? paint('gray', 'DEBUG ')
          : '';
  const agent = typeof rec.agent === 'string' ? `${paint('bold', rec.agent)}: ` : '';
  let text = `${typeof rec.msg === 'string' ? rec.msg : ''}`;
  if (typeof rec.reason === 'string' && rec.reason !== '' && !text.includes(rec.reason)) text += ` (${rec.reason})`;
  if (rec.error !== undefined) text += `: ${typeof rec.error === 'string' ? rec.error : value(rec.error)}`;
  const rest = Object.entries(rec)
    .filter(([k, v]) => !SHOWN.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`);
  return `${paint('gray', clock(rec.time))} ${tag}${agent}${text}${rest.length ? ` ${paint('gray', rest.join(' '))}` : ''}`;
}
