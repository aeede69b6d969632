// Colour for people at a terminal, and none for pipes or anyone who set NO_COLOR (node's own styleText).
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** NO_COLOR (https://no-color.org) wins; FORCE_COLOR asks for colour even in a pipe; otherwise
 * colour only on a terminal that is not `dumb`. */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '')
    return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Paint {
  readonly on: boolean;
  style(s: Style, text: string): string;
  /** A phase word in the colour of its health. */
  phase(phase: string, ready: boolean): string;
  /** A diff action word. */
  action(action: string): string;
}

const PHASE: Record<string, Style> = {
  Pending: 'yellow',
  CrashLoopBackOff: 'red',
  Failed: 'red',
  Unknown: 'red',
  Stopped: 'gray',
  Succeeded: 'gray',
  Suspended: 'cyan',
  Deleted: 'gray',
};

const ACTION: Record<string, Style> = {
  create: 'green',
  recreate: 'yellow',
  restart: 'yellow',
  stop: 'red',
  prune: 'red',
  wait: 'cyan',
};

export function paint(on: boolean): Paint {
  const style = (s: Style, text: string): string => (on ? styleText(s, text, { validateStream: false }) : text);
  return {
    on,
    style,
    phase: (phase, ready) => {
      const s = phase === 'Running' ? (ready ? 'green' : 'yellow') : PHASE[phase];
      return s ? style(s, phase) : phase;
    },
    action: (action) => {
      const s = ACTION[action];
      return s ? style(s, action) : action;
    },
  };
}

/** Colour for what goes to stdout. */
export const stdoutPaint = (): Paint => paint(colourWanted(process.stdout, process.env));
