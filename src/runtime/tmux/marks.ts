// The ownership mark of a tmux agent, carried in its pane's start command (pure).

/** The mark's owner part: characters a start command would quote are replaced, so the mark is
 * always one bare word in `#{pane_start_command}`. */
export const markOwner = (owner: string): string => owner.replace(/[^A-Za-z0-9._:@-]/g, '_');
export const mark = (owner: string, hash: string): string => `agentctl:${markOwner(owner)}:${hash}`;

const MARK = /(?:^|\s)agentctl:([A-Za-z0-9._:@-]+):([0-9a-f]{64})(?=\s|$)/;

/** Owner and hash from a pane's start command, or null when it carries no mark of any agentctl. */
export function parseMark(startCommand: string): { owner: string; hash: string } | null {
  const m = MARK.exec(startCommand);
  return m ? { owner: m[1]!, hash: m[2]! } : null;
}
