// Runs the compiled agentctl CLI (dist/, built by `npm test`) against a throwaway specs and state dir.
import { execa } from 'execa';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTree } from './remove-tree.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  specs: string;
  state: string;
  env: Record<string, string>;
  /** Writes a spec file atomically (temp file + rename), creating folders. */
  write(rel: string, content: string): void;
  remove(rel: string): void;
  run(args: string[], extraEnv?: Record<string, string>, timeoutMs?: number): Promise<CliResult>;
  cleanup(): void;
}

export function sandbox(socket: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'agentctl-test-'));
  const specs = join(dir, 'specs');
  const state = join(dir, 'state');
  mkdirSync(specs, { recursive: true });
  const env = {
    AGENTCTL_SPECS: specs,
    AGENTCTL_STATE: state,
    AGENTCTL_TMUX_SOCKET: socket,
    AGENTCTL_LOG_FORMAT: 'json',
    AGENTCTL_HOST: 'testhost',
  };
  return {
    dir,
    specs,
    state,
    env,
    write(rel, content) {
      const target = join(specs, rel);
      mkdirSync(dirname(target), { recursive: true });
      const tmp = join(dirname(target), `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
      writeFileSync(tmp, content);
      renameSync(tmp, target);
    },
    remove(rel) {
      rmSync(join(specs, rel), { force: true });
    },
    async run(args, extraEnv = {}, timeoutMs = 60_000) {
      const r = await execa('node', [CLI, ...args], {
        reject: false,
        env: { ...env, ...extraEnv },
        timeout: timeoutMs,
        cwd: dir,
      });
      return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    cleanup() {
      // A job or agent may still be finishing a write in the sandbox: retry a moment later.
      removeTree(dir);
    },
  };
}

/** A minimal valid agent spec document. */
export function agentYaml(name: string, command: string[], extra: Record<string, unknown> = {}): string {
  const spec = { command, workdir: '/tmp', ...extra };
  return `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;
}

/** Polls `fn` until it returns something truthy; an exception counts as "not yet" (the last one
 * is reported if time runs out). */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  stepMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs}ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
