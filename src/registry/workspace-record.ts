// The worktree an agent was given (DESIGN §10.5), kept in its record from the moment it is made.
import { z } from 'zod';

/** Recorded before the first start is tried: prune finds the worktree even of an agent whose
 * setup never passed (it has no applied spec). */
export const WorkspaceRecord = z.object({
  /** The workdir as the spec wrote it (`~` is the home of the agent's host). */
  workdir: z.string(),
  git: z.object({ repo: z.string(), ref: z.string(), worktree: z.literal(true), branch: z.string() }),
});
export type WorkspaceRecord = z.infer<typeof WorkspaceRecord>;
