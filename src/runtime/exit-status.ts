// Exit statuses (pure): the content of an exit file, and codes above 128 as signals.
import { constants } from 'node:os';

const signalNames = new Map<number, string>(
  Object.entries(constants.signals).map(([name, num]) => [num, name] as [number, string]),
);

export function signalName(num: number): string | null {
  return signalNames.get(num) ?? null;
}

/** Reads the content of an exit file (`143\n`) into code and signal. */
export function parseExitFile(
  text: string,
  at: number,
): { code: number | null; signal: string | null; at: number } | null {
  const m = /^\s*(\d+)\s*$/.exec(text);
  if (!m) return null;
  const code = Number(m[1]);
  return { code, signal: code > 128 ? signalName(code - 128) : null, at };
}

export function exitFromStatus(
  code: number | null,
  signal: string | null,
  at: number,
): { code: number | null; signal: string | null; at: number } {
  if (signal === null && code !== null && code > 128) return { code, signal: signalName(code - 128), at };
  return { code, signal, at };
}
