// Prepares an agent's start: workdir, workspace files, env from envFiles, and the argv.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import writeFileAtomic from 'write-file-atomic';
import type { DesiredAgent } from '../spec/load.js';
import type { StartRequest } from '../runtime/types.js';
import { claudeArgv, transcriptFolderNames } from '../spec/claude-argv.js';
import { effectiveSlurm } from '../runtime/slurm/script.js';
import { expandHome } from '../util/paths.js';
import { isSecretKey } from '../spec/secrets.js';

export class PrepareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrepareError';
  }
}

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
  const env: Record<string, string> = {};
  for (const f of agent.spec.envFiles) {
    const path = expandHome(f, home);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new PrepareError(`envFile ${f} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
    }
    Object.assign(env, parseDotenv(text));
  }
  return env;
}

/** Writes spec.files into the workdir, each atomically, refusing any path that leaves it. */
export async function writeWorkspaceFiles(workdir: string, files: Record<string, string>): Promise<void> {
  const root = resolve(workdir);
  for (const [rel, content] of Object.entries(files)) {
    const target = resolve(root, rel);
    if (!target.startsWith(root + sep)) throw new PrepareError(`files: ${rel} is outside the workdir`);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, content, { fsync: true });
  }
}

export async function prepareStart(agent: DesiredAgent, home: string): Promise<StartRequest> {
  const s = agent.spec;
  const workdir = expandHome(s.workdir ?? `~/agents/${agent.name}`, home);
  try {
    await mkdir(workdir, { recursive: true });
  } catch (err) {
    throw new PrepareError(`workdir ${workdir} cannot be created (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  await writeWorkspaceFiles(workdir, s.files);
  const fromFiles = await readEnvFiles(agent, home);
  const argv = await resolveArgv(agent, home);
  const secrets = [...Object.values(fromFiles), ...Object.entries(s.env).filter(([k]) => isSecretKey(k)).map(([, v]) => v)];
  return {
    name: agent.name,
    argv,
    workdir,
    env: { ...fromFiles, ...s.env, AGENTCTL_AGENT: agent.name },
    secrets,
    hash: agent.hash,
    ...(effectiveSlurm(s) ? { slurm: effectiveSlurm(s)! } : {}),
  };
}
