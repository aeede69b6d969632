// Prepares an agent's start: workdir, workspace files, env from envFiles, and the argv.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesiredAgent } from '../spec/load.js';
import type { StartRequest } from '../runtime/types.js';
import { claudeArgv, transcriptFolderNames } from '../spec/claude-argv.js';
import { expandHome } from '../util/paths.js';
import { secretValues } from '../spec/secrets.js';
import { readEnvFileList } from './env-files.js';
import { createWorkdir, writeWorkspaceFiles } from './files.js';

export { PrepareError } from './errors.js';
export { writeWorkspaceFiles };

/** True when Claude Code has a non-empty `*.jsonl` transcript for this workdir. */
export async function hasClaudeTranscript(workdir: string, home: string): Promise<boolean> {
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
        if ((await stat(join(dir, f))).size > 0) return true;
      } catch {
        /* raced with deletion */
      }
    }
  }
  return false;
}

/** The argv the agent will run (for a claude preset, resolved against the transcripts now). */
export async function resolveArgv(agent: DesiredAgent, home: string): Promise<string[]> {
  const s = agent.spec;
  if (s.command) return s.command;
  const workdir = expandHome(s.workdir ?? '~', home);
  return claudeArgv(s.claude!, s.claude!.session === 'continue-or-new' ? await hasClaudeTranscript(workdir, home) : false);
}

/** Reads envFiles (dotenv). Values are secrets: errors name the file, never its content. */
export async function readEnvFiles(agent: DesiredAgent, home: string): Promise<Record<string, string>> {
  return readEnvFileList(agent.spec.envFiles, home);
}

export async function prepareStart(agent: DesiredAgent, home: string): Promise<StartRequest> {
  const s = agent.spec;
  const workdir = expandHome(s.workdir ?? `~/agents/${agent.name}`, home);
  await createWorkdir(workdir);
  await writeWorkspaceFiles(workdir, s.files);
  const fromFiles = await readEnvFiles(agent, home);
  const argv = await resolveArgv(agent, home);
  const secrets = secretValues(s.env, fromFiles);
  return {
    name: agent.name,
    argv,
    workdir,
    env: { ...fromFiles, ...s.env, AGENTCTL_AGENT: agent.name },
    secrets,
    hash: agent.hash,
    ...(s.slurm ? { slurm: s.slurm } : {}),
  };
}
