// .mcp.json and CLAUDE.md merged with what is in the workdir: agentctl's part updated, the rest kept (pure).
import type { McpServer } from '../spec/claude-files-fields.js';

export const MEMORY_BEGIN =
  '<!-- agentctl:memory begin (written by agentctl from the spec; edits here are replaced) -->';
export const MEMORY_END = '<!-- agentctl:memory end -->';
const BEGIN_PREFIX = '<!-- agentctl:memory begin';

export type Merge = { text: string; changed: boolean } | { refused: string };

/** .mcp.json with the spec's servers set (by name) and every other entry, and every other key
 * of the file, as they were. `${VAR}` strings are written as they are: Claude Code expands them. */
export function mergeMcpJson(existing: string | undefined, servers: Record<string, McpServer>): Merge {
  let doc: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (err) {
      return { refused: `.mcp.json is not valid JSON (${(err as Error).message}): left as it is, servers not written` };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return { refused: '.mcp.json does not hold a JSON object: left as it is, servers not written' };
    doc = parsed as Record<string, unknown>;
  }
  const current = doc.mcpServers;
  if (current !== undefined && (current === null || typeof current !== 'object' || Array.isArray(current)))
    return { refused: '.mcp.json: "mcpServers" is not an object: left as it is, servers not written' };
  const merged = { ...(current as Record<string, unknown> | undefined) };
  for (const [name, s] of Object.entries(servers)) merged[name] = serverJson(s);
  const text = `${JSON.stringify({ ...doc, mcpServers: merged }, null, 2)}\n`;
  return { text, changed: text !== existing };
}

/** Claude Code's own shape: stdio servers without an empty env; http/sse as given. */
function serverJson(s: McpServer): Record<string, unknown> {
  if ('command' in s)
    return { type: 'stdio', command: s.command, args: s.args, ...(Object.keys(s.env).length ? { env: s.env } : {}) };
  return { type: s.type, url: s.url, ...(Object.keys(s.headers).length ? { headers: s.headers } : {}) };
}

/** CLAUDE.md with agentctl's section (between its marker lines) set to `memory`; the rest of the
 * file byte for byte as it was. Without a section yet, it is appended. Markers edited by hand
 * (one missing, doubled, out of order) are refused: the file is not touched. */
export function mergeMemory(existing: string | undefined, memory: string): Merge {
  const body = memory.endsWith('\n') || memory === '' ? memory : `${memory}\n`;
  const section = `${MEMORY_BEGIN}\n${body}${MEMORY_END}\n`;
  if (existing === undefined || existing === '') return { text: section, changed: true };
  const lines = existing.split('\n');
  const begins = lines.flatMap((l, i) => (l.trimEnd().startsWith(BEGIN_PREFIX) ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.trim() === MEMORY_END ? [i] : []));
  if (begins.length === 0 && ends.length === 0) {
    const sep = existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
    return { text: `${existing}${sep}${section}`, changed: true };
  }
  if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) {
    const what = `${begins.length} begin and ${ends.length} end marker${ends.length === 1 ? '' : 's'}`;
    return {
      refused: `CLAUDE.md: agentctl's section markers were edited (${what}${begins.length === 1 && ends.length === 1 ? ', end before begin' : ''}): the file is left as it is`,
    };
  }
  const before = lines.slice(0, begins[0]).join('\n');
  const after = lines.slice(ends[0]! + 1).join('\n');
  const text = `${before}${begins[0]! > 0 ? '\n' : ''}${section}${after}`;
  return { text, changed: text !== existing };
}
