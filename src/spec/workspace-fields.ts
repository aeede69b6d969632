// spec.workspace (DESIGN §10.5): a git worktree per agent, its one-time setup and copied files (zod).
import { z } from 'zod';
import { Argv, CONTROL_CHARS, HostPath, positive, RelativeFilePath } from './schema-fields.js';

/** A remote repository git can clone: a URL with a scheme, or scp-like `user@host:path`. */
export const REPO_URL = /^(https?|ssh|git|file):\/\/\S+$|^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+$/;

export function isRepoUrl(repo: string): boolean {
  return REPO_URL.test(repo);
}

/** What git would take as an option, or what no ref name may hold (git check-ref-format). */
const refWord = (what: string) =>
  z
    .string()
    .min(1)
    .refine((v) => !v.startsWith('-'), `${what} must not start with "-"`)
    .refine((v) => !CONTROL_CHARS.test(v) && !/[\s~^:?*[\\]/.test(v), `${what} must not contain spaces or ~^:?*[\\`)
    .refine((v) => !v.includes('..') && !v.includes('@{') && !v.endsWith('.lock') && !v.endsWith('/'), {
      message: `${what} must not contain "..", "@{", or end in ".lock" or "/"`,
    });

export const WorkspaceGit = z.strictObject({
  /** A local repository (absolute or ~/ path) or a URL to clone (once per host). */
  repo: z.string().refine((r) => isRepoUrl(r) || HostPath.safeParse(r).success, {
    message: 'a local repository (absolute path or ~/...) or a URL git can clone',
  }),
  /** Where a new branch starts: a branch, tag or commit of the repository. */
  ref: refWord('ref').default('HEAD'),
  /** Always a worktree of its own (the only kind of workspace so far). */
  worktree: z.literal(true).default(true),
  /** The agent's branch; `{name}` is the agent's name. */
  branch: refWord('branch').default('agent/{name}'),
});

export const Workspace = z
  .strictObject({
    git: WorkspaceGit,
    /** Commands (argv, no shell) run in a new worktree, in order, before the agent first starts. */
    setup: z.array(Argv).default([]),
    /** Each setup command is killed (with its children) after this long, and retried later. */
    setupTimeoutSeconds: positive.default(600),
    /** Files or folders copied from the repository's working tree into a new worktree (.env). */
    copy: z.array(RelativeFilePath).default([]),
  })
  .superRefine((w, ctx) => {
    if (w.copy.length > 0 && isRepoUrl(w.git.repo))
      ctx.addIssue({
        code: 'custom',
        path: ['copy'],
        message: 'copy needs a local repository: a clone holds no untracked files to copy',
      });
  });

export type Workspace = z.infer<typeof Workspace>;
export type WorkspaceGit = z.infer<typeof WorkspaceGit>;
