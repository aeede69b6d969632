// Pending permission requests and agentctl's decisions, as the PermissionRequest hook's files hold them (pure).

export interface PermissionRequest {
  /** The file's id (`<epoch s>-<pid>`): the decision goes to `<id>.decision`. */
  id: string;
  /** The hook process that waits for it. */
  pid: number;
  at: number;
  toolName: string;
  /** A one-line summary of what the tool would do (`touch x`), cut short. */
  summary: string;
}

const REQUEST_FILE = /^(\d+-\d+)\.request$/;

/** The id of a request file name, or undefined for any other file. */
export function requestIdOf(file: string): string | undefined {
  return REQUEST_FILE.exec(file)?.[1];
}

/** Parses a request file (`<pid> <epoch s>` then the hook's JSON); undefined when garbled. */
export function parseRequest(id: string, text: string): PermissionRequest | undefined {
  const nl = text.indexOf('\n');
  const head = /^(\d+) (\d+)$/.exec(text.slice(0, nl < 0 ? undefined : nl));
  if (!head) return undefined;
  let input: { tool_name?: unknown; tool_input?: unknown } = {};
  try {
    input = JSON.parse(text.slice(nl + 1)) as typeof input;
  } catch {
    // A cut line still names the request; only its summary is lost.
  }
  const tool = typeof input.tool_name === 'string' ? input.tool_name : 'a tool';
  return { id, pid: Number(head[1]), at: Number(head[2]) * 1000, toolName: tool, summary: summarise(input.tool_input) };
}

function summarise(toolInput: unknown): string {
  if (toolInput === null || typeof toolInput !== 'object') return '';
  const o = toolInput as Record<string, unknown>;
  const main = ['command', 'file_path', 'path', 'url', 'pattern'].map((k) => o[k]).find((v) => typeof v === 'string');
  const s = typeof main === 'string' ? main : JSON.stringify(o);
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export type Decision = { behavior: 'allow' } | { behavior: 'deny'; message: string };

/** What the hook prints for Claude Code (observed format of 2.1.328). */
export function decisionOutput(d: Decision): string {
  return `${JSON.stringify({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: d } })}\n`;
}

export const DEFAULT_DENY_MESSAGE = 'Denied through agentctl';
/** A deny message is cut here: it becomes the tool result Claude reads. */
export const MAX_DENY_MESSAGE = 2000;

/** `Bash(touch x)` for messages. */
export const describeRequest = (r: PermissionRequest): string =>
  r.summary ? `${r.toolName}(${r.summary})` : r.toolName;
