// Runs a program (execa, argv, no shell) under a hard deadline that nothing it shares its pipes with can extend.
//
// An ssh client over a ControlMaster, like a tmux client to its server, hands its stdin, stdout
// and stderr over (fd passing), so killing the client does not close the pipes: the master keeps them open for as
// long as the remote side stays silent. execa waits for the pipes, so a plain `timeout` would
// hold the caller as long as the host hangs. Here, past the deadline the process is killed and,
// a moment later, our ends of its pipes are destroyed, and the call returns what it had.
import { execa } from 'execa';
import { constants } from 'node:os';
import { exhaustedResource, resourceExhausted } from '../util/resource-alarm.js';
import { guardSpawn } from './spawn-guard.js';

guardSpawn();

/** Codes that mean the program could not be started at all (the result carries no output). */
const SPAWN_CODES = new Set(['ENOENT', 'EACCES', 'EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM']);

export interface BoundedResult {
  /** The exit status; 124 after the deadline; 128+N after signal N. */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

export interface BoundedOptions {
  input?: string;
  timeoutMs: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** After the deadline: SIGTERM, then SIGKILL and our pipe ends closed this much later. */
  graceMs?: number;
}

export async function boundedSpawn(file: string, args: readonly string[], o: BoundedOptions): Promise<BoundedResult> {
  const child = execa(file, args, {
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    ...(o.env ? { env: o.env, extendEnv: false } : {}),
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.input !== undefined ? { input: o.input } : { stdin: 'ignore' }),
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  let timedOut = false;
  const grace = o.graceMs ?? 500;
  const timers: NodeJS.Timeout[] = [];
  timers.push(
    setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGTERM');
        timers.push(
          setTimeout(() => {
            child.kill('SIGKILL');
            for (const s of [child.stdin, child.stdout, child.stderr]) s?.destroy();
          }, grace),
        );
      },
      Math.max(1, o.timeoutMs),
    ),
  );
  try {
    const r = await child;
    const code = (r as { code?: string }).code;
    const signal = r.signal ? (constants.signals as Record<string, number>)[r.signal] : undefined;
    const spawnError = code !== undefined && SPAWN_CODES.has(code) ? code : undefined;
    const resource = exhaustedResource(spawnError);
    if (resource) resourceExhausted(resource, `spawn ${file}`);
    return {
      exitCode: timedOut ? 124 : signal !== undefined ? 128 + signal : (r.exitCode ?? 1),
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
      timedOut,
      ...(spawnError !== undefined ? { spawnError } : {}),
    };
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}
