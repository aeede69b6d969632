// Runs one shell or exec hook entry as the leader of its own process group, killed whole at timeout.
import { execa } from 'execa';
import { guardSpawn } from '../exec/spawn-guard.js';
import { exhaustedResource, resourceExhausted } from '../util/resource-alarm.js';
import { OutputFile } from './output-file.js';

guardSpawn();

export interface ProcessRunOptions {
  /** The process's whole environment. */
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
}

export interface ProcessRun {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Raw combined output (not yet scrubbed): only the tail of it. */
  output: string;
  error?: string;
}

/** execa's own timeout kills only the direct child; it stays as a backstop behind ours. */
const EXECA_BACKSTOP_MS = 1_000;

export async function runProcess(file: string, args: readonly string[], o: ProcessRunOptions): Promise<ProcessRun> {
  let out: OutputFile;
  try {
    out = new OutputFile();
  } catch (err) {
    // A full or unwritable temp dir fails this entry, not the whole reconcile.
    const code = (err as { code?: unknown }).code;
    return {
      exitCode: null,
      timedOut: false,
      durationMs: 0,
      output: '',
      error: `cannot capture output: ${typeof code === 'string' ? code : String(err)}`,
    };
  }
  const started = performance.now();
  let timedOut = false;
  try {
    const child = execa(file, args, {
      // Detached: the child leads a new process group, so a timeout can kill its grandchildren.
      detached: true,
      cwd: o.cwd,
      env: o.env,
      // The whole environment: nothing of the controller's own (its token) reaches a hook.
      extendEnv: false,
      stdin: 'ignore',
      stdout: nativeFd(out.fd),
      stderr: nativeFd(out.fd),
      reject: false,
      timeout: o.timeoutMs + EXECA_BACKSTOP_MS,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, o.timeoutMs);
    const r = await child.finally(() => clearTimeout(timer));
    const durationMs = Math.round(performance.now() - started);
    const output = out.tail();
    const code = (r as { code?: string }).code;
    const resource = exhaustedResource(code);
    if (resource) resourceExhausted(resource, `hook ${file}`);
    if (child.pid === undefined || code === 'ENOENT' || code === 'EACCES') {
      return {
        exitCode: null,
        timedOut: false,
        durationMs,
        output,
        error: `cannot run ${file}: ${code ?? 'spawn failed'}`,
      };
    }
    if (timedOut || r.timedOut) {
      killGroup(child.pid);
      return {
        exitCode: null,
        timedOut: true,
        durationMs,
        output,
        error: `timed out after ${formatSeconds(o.timeoutMs)}; process group killed`,
      };
    }
    if (r.exitCode === undefined) {
      return { exitCode: null, timedOut: false, durationMs, output, error: `killed by ${r.signal ?? 'a signal'}` };
    }
    return { exitCode: r.exitCode, timedOut: false, durationMs, output };
  } finally {
    out.dispose();
  }
}

/** SIGKILL to the negative pid reaches every process of the group, including orphaned ones. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** execa passes any integer fd straight to spawn (lib/stdio/native.js), but its types only
 * admit the literals 1-9; an opened file's fd is usually higher. */
function nativeFd(fd: number): 3 {
  return fd as 3;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}
