// .mcp.json and CLAUDE.md merges: agentctl's part set, everything else kept byte for byte, broken files refused.
import { describe, expect, it } from 'vitest';
import { MEMORY_BEGIN, MEMORY_END, mergeMcpJson, mergeMemory } from '../../../src/workspace/claude-files.js';
import { McpServers } from '../../../src/spec/claude-files-fields.js';

const servers = McpServers.parse({
  db: { command: 'psql-mcp', args: ['--ro'], env: { PGPASSWORD: '${PGPASSWORD}', PGHOST: 'db1' } },
  web: { type: 'http', url: 'https://mcp.example/${TEAM}', headers: { Authorization: 'Bearer ${TOKEN}' } },
});

describe('mergeMcpJson', () => {
  it('writes the servers into a new file, ${VAR} references as they are', () => {
    const m = mergeMcpJson(undefined, servers);
    expect('text' in m && JSON.parse(m.text)).toEqual({
      mcpServers: {
        db: { type: 'stdio', command: 'psql-mcp', args: ['--ro'], env: { PGPASSWORD: '${PGPASSWORD}', PGHOST: 'db1' } },
        web: { type: 'http', url: 'https://mcp.example/${TEAM}', headers: { Authorization: 'Bearer ${TOKEN}' } },
      },
    });
  });

  it("keeps the agent's own servers and other keys, and replaces agentctl's by name", () => {
    const before = JSON.stringify({ other: 1, mcpServers: { mine: { command: 'x' }, db: { command: 'old' } } });
    const m = mergeMcpJson(before, servers);
    if (!('text' in m)) throw new Error(m.refused);
    const doc = JSON.parse(m.text) as { other: number; mcpServers: Record<string, { command?: string }> };
    expect(doc.other).toBe(1);
    expect(doc.mcpServers.mine).toEqual({ command: 'x' });
    expect(doc.mcpServers.db!.command).toBe('psql-mcp');
    expect(mergeMcpJson(m.text, servers)).toEqual({ text: m.text, changed: false });
  });

  it.each([
    ['{broken', '.mcp.json is not valid JSON'],
    ['[1]', 'does not hold a JSON object'],
    ['{"mcpServers": []}', '"mcpServers" is not an object'],
  ])('refuses %s', (text, why) => {
    const m = mergeMcpJson(text, servers);
    expect('refused' in m && m.refused).toContain(why);
  });
});

describe('mergeMemory', () => {
  const section = (body: string) => `${MEMORY_BEGIN}\n${body}${MEMORY_END}\n`;
  it.each([
    ['no file', undefined, 'be brief', section('be brief\n')],
    ['empty file', '', 'x\n', section('x\n')],
    ['file without a section: appended', '# Mine\nnotes', 'x', `# Mine\nnotes\n\n${section('x\n')}`],
    ['ends with a newline', '# Mine\n', 'x', `# Mine\n\n${section('x\n')}`],
    [
      'section replaced, the rest as it was',
      `# Top\n\n${section('old\n')}\n## Agent's own notes\n- keep\n`,
      'new\nlines',
      `# Top\n\n${section('new\nlines\n')}\n## Agent's own notes\n- keep\n`,
    ],
    ['section at the very top', `${section('old\n')}tail\n`, 'n', `${section('n\n')}tail\n`],
  ])('%s', (_, existing, memory, want) => {
    const m = mergeMemory(existing, memory);
    expect('text' in m && m.text).toBe(want);
  });

  it.each([
    ['begin without end', `a\n${MEMORY_BEGIN}\nx\n`, '1 begin and 0 end markers'],
    ['end without begin', `a\n${MEMORY_END}\n`, '0 begin and 1 end marker'],
    ['two sections', `${section('a\n')}${section('b\n')}`, '2 begin and 2 end markers'],
    ['end before begin', `${MEMORY_END}\n${MEMORY_BEGIN}\n`, 'end before begin'],
  ])('refuses hand-edited markers: %s', (_, existing, why) => {
    const m = mergeMemory(existing, 'x');
    expect('refused' in m && m.refused).toContain(why);
  });

  it('is stable: merging the same memory again changes nothing', () => {
    const m = mergeMemory('# Mine\n', 'x');
    if (!('text' in m)) throw new Error(m.refused);
    expect(mergeMemory(m.text, 'x')).toEqual({ text: m.text, changed: false });
  });
});
