// Prepares an agent's start: workdir, workspace files, env from envFiles, and the argv.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Machine } from '../exec/executor.js';
import type { DesiredAgent } from '../spec/load.js';
import type { StartRequest } from '../runtime/types.js';
import { claudeArgv, transcriptFolderNames } from '../spec/claude-argv.js';
import { effectiveSlurm } from '../runtime/slurm/script.js';
import { expandHome } from '../util/paths.js';
import { secretValues } from '../spec/secrets.js';
import { readEnvFileList } from './env-files.js';
import { createWorkdir, writeWorkspaceFiles } from './files.js';
import { prepareWorktree } from './prepare-worktree.js';
import { createLocalExecutor, localFiles } from '../exec/local.js';
import { claudeWorkdirFiles } from './claude-workdir-files.js';
import { loginShellArgv } from '../spec/login-shell.js';

export { PrepareError } from './errors.js';
export { writeWorkspaceFiles };

/** Minutes since the newest non-empty `*.jsonl` transcript of this workdir was written, or
 * undefined when Claude Code has none. */
export async function newestTranscriptAgeMinutes(
  workdir: string,
  home: string,
  now = Date.now(),
): Promise<number | undefined> {
  let newest: number | undefined;
  for (const folder of transcriptFolderNames(workdir)) {
    const dir = join(home, '.claude', 'projects', folder);
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      continue;
    }
    for (const f of files.filter((n) => n.endsWith('.jsonl'))) {
      try {
        const s = await stat(join(dir, f));
        if (s.size > 0 && (newest === undefined || s.mtimeMs > newest)) newest = s.mtimeMs;
      } catch {
        /* raced with deletion */
      }
    }
  }
  return newest === undefined ? undefined : Math.max(0, now - newest) / 60_000;
}

/** The argv the agent will run (for a claude preset, resolved against the transcripts now). */
export async function resolveArgv(agent: DesiredAgent, home: string): Promise<string[]> {
  const s = agent.spec;
  if (s.command) return s.command;
  // The same default workdir prepareStart creates: the transcripts are looked up where it will run.
  const workdir = expandHome(s.workdir ?? `~/agents/${agent.name}`, home);
  const age = s.claude!.session === 'continue-or-new' ? await newestTranscriptAgeMinutes(workdir, home) : undefined;
  return claudeArgv(s.claude!, { transcriptAgeMinutes: age, home });
}

/** The argv without looking at transcripts (a claude preset starts a new session). */
function claudeOrCommand(agent: DesiredAgent, home: string): string[] {
  const s = agent.spec;
  return s.command ?? claudeArgv(s.claude!, { transcriptAgeMinutes: undefined, home });
}

/** Reads envFiles (dotenv). Values are secrets: errors name the file, never its content. */
export async function readEnvFiles(agent: DesiredAgent, home: string): Promise<Record<string, string>> {
  return readEnvFileList(agent.spec.envFiles, home);
}

/** Another machine's workspace: the workdir and files are made there (in one call per batch). */
export interface RemoteWorkspaceMachine extends Machine {
  readonly workspace: { prepare(workdir: string, files: Record<string, string>): Promise<void> };
}

/** The start request of an agent, its workspace made. `home` is the controller's: envFiles are
 * read here (their values travel to the agent in its launch file, never in an argv). With a
 * remote `machine`, `~` in the workdir and the argv is that login's home, and the workdir and
 * files are made there. */
export async function prepareStart(
  agent: DesiredAgent,
  home: string,
  machine?: RemoteWorkspaceMachine,
  warn: (message: string) => void = () => {},
): Promise<StartRequest> {
  const s = agent.spec;
  const where = machine?.home ?? home;
  const workdir = expandHome(s.workdir ?? `~/agents/${agent.name}`, where);
  const fromFiles = await readEnvFiles(agent, home);
  const secrets = secretValues(s.env, fromFiles);
  const env = { ...fromFiles, ...s.env, AGENTCTL_AGENT: agent.name };
  // The worktree first: git makes the folder, and spec.files are written into it.
  const exec = machine?.exec ?? createLocalExecutor();
  await prepareWorktree(agent, { exec, home: where, workdir, env, secrets });
  const files = { ...s.files, ...(await claudeWorkdirFiles(s, workdir, machine?.files ?? localFiles, warn)) };
  if (machine) {
    await machine.workspace.prepare(workdir, files);
  } else {
    await createWorkdir(workdir);
    await writeWorkspaceFiles(workdir, files);
  }
  // Claude's transcripts of a remote workdir are on that host: not looked up from here.
  const argv = machine ? claudeOrCommand(agent, where) : await resolveArgv(agent, home);
  return {
    name: agent.name,
    argv: s.loginShell ? loginShellArgv(argv) : argv,
    workdir,
    env,
    secrets,
    hash: agent.hash,
    ...(effectiveSlurm(s) ? { slurm: effectiveSlurm(s)! } : {}),
  };
}
