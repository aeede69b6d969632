// Makes a spawn that fails for want of file descriptors an ordinary failed call instead of a crash.
//
// When spawn(2) cannot get descriptors (EMFILE/ENFILE), Node's ChildProcess returns early with no
// stdio and emits 'error' on the next tick. execa 9.6 then throws a TypeError
// (`subprocess.stdio is not iterable`) before it attaches its listeners, so nobody handles that
// 'error' and the process dies (`spawn tmux EMFILE`: reproduced with `prlimit --nofile=100` and
// execa('tmux') with 1-5 descriptors left). Node's spawn is wrapped once: such a child gets a
// listener and the call throws at once, which execa reports as its documented early error (a
// failed result with code EMFILE). Builtin ESM bindings follow via syncBuiltinESMExports.
import childProcess, { type ChildProcess } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

let installed = false;

/** Idempotent: wraps child_process.spawn for every importer (execa included). */
export function guardSpawn(): void {
  if (installed) return;
  installed = true;
  const original = childProcess.spawn;
  const guarded = function (this: unknown, ...args: unknown[]): ChildProcess {
    const child = (original as (...a: unknown[]) => ChildProcess).apply(this, args);
    if (child.stdio !== undefined) return child;
    // Only EMFILE and ENFILE leave a child without stdio; the real code arrives with 'error'.
    child.on('error', () => undefined);
    const file = typeof args[0] === 'string' ? args[0] : 'a program';
    throw Object.assign(new Error(`spawn ${file} EMFILE: out of file descriptors`), {
      code: 'EMFILE',
      errno: -24,
      syscall: `spawn ${file}`,
    });
  };
  childProcess.spawn = guarded as typeof childProcess.spawn;
  syncBuiltinESMExports();
}
