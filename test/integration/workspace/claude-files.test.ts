// claude.mcpServers and claude.memory on real files (a stand-in claude on PATH), alone and in a worktree.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, type Sandbox } from '../../helpers/cli.js';
import { testTmux, type TestTmux } from '../../helpers/tmux.js';
import { MEMORY_BEGIN, MEMORY_END } from '../../../src/workspace/claude-files.js';

let tmux: TestTmux;
let sb: Sandbox;
let env: Record<string, string>;

beforeEach(() => {
  tmux = testTmux();
  sb = sandbox(tmux.socket);
  const bin = join(sb.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'claude'), '#!/bin/sh\nexec sleep 3600\n');
  chmodSync(join(bin, 'claude'), 0o755);
  mkdirSync(join(sb.dir, 'home'));
  env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: join(sb.dir, 'home') };
});

afterEach(async () => {
  await tmux.kill();
  sb.cleanup();
});

const wd = (name: string) => join(sb.dir, 'w', name);
const doc = (name: string, spec: Record<string, unknown>) =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata: {name: ${name}}\nspec: ${JSON.stringify({ workdir: wd(name), ...spec })}\n`;
const once = () => sb.run(['reconcile', '--once', '--timeout', '20s', '--allow-mass-prune'], env);

const MCP = { db: { command: 'psql-mcp', args: ['--ro'], env: { PGPASSWORD: '${PGPASSWORD}' } } };

describe('claude.mcpServers and claude.memory', () => {
  it("merges into the workdir's own .mcp.json and CLAUDE.md, keeping everything that is not agentctl's", async () => {
    mkdirSync(wd('c1'), { recursive: true });
    writeFileSync(join(wd('c1'), '.mcp.json'), JSON.stringify({ mcpServers: { mine: { command: 'my-mcp' } } }));
    writeFileSync(join(wd('c1'), 'CLAUDE.md'), '# Project\n\nThe agent wrote this.\n');
    sb.write('c1.yaml', doc('c1', { claude: { mcpServers: MCP, memory: 'Use the db server.' } }));
    expect((await once()).exitCode).toBe(0);
    const mcp = JSON.parse(readFileSync(join(wd('c1'), '.mcp.json'), 'utf8')) as {
      mcpServers: Record<string, unknown>;
    };
    expect(mcp.mcpServers.mine).toEqual({ command: 'my-mcp' });
    expect(mcp.mcpServers.db).toEqual({
      type: 'stdio',
      command: 'psql-mcp',
      args: ['--ro'],
      env: { PGPASSWORD: '${PGPASSWORD}' },
    });
    const md = readFileSync(join(wd('c1'), 'CLAUDE.md'), 'utf8');
    expect(md).toBe(`# Project\n\nThe agent wrote this.\n\n${MEMORY_BEGIN}\nUse the db server.\n${MEMORY_END}\n`);

    // The agent adds notes after agentctl's section; a changed memory replaces only the section.
    writeFileSync(join(wd('c1'), 'CLAUDE.md'), `${md}\n## Learned\n- tests live in t/\n`);
    sb.write('c1.yaml', doc('c1', { claude: { mcpServers: MCP, memory: 'Use the db server, read-only.' } }));
    expect((await once()).exitCode).toBe(0);
    expect(readFileSync(join(wd('c1'), 'CLAUDE.md'), 'utf8')).toBe(
      `# Project\n\nThe agent wrote this.\n\n${MEMORY_BEGIN}\nUse the db server, read-only.\n${MEMORY_END}\n\n## Learned\n- tests live in t/\n`,
    );
  });

  it('leaves a CLAUDE.md with hand-edited markers and a broken .mcp.json alone, with events, and still starts', async () => {
    mkdirSync(wd('c2'), { recursive: true });
    const md = `# Mine\n${MEMORY_BEGIN}\nold, and the end marker was deleted\n`;
    writeFileSync(join(wd('c2'), 'CLAUDE.md'), md);
    writeFileSync(join(wd('c2'), '.mcp.json'), '{"mcpServers": {"mine": ');
    sb.write('c2.yaml', doc('c2', { claude: { mcpServers: MCP, memory: 'new' } }));
    expect((await once()).exitCode).toBe(0);
    expect(readFileSync(join(wd('c2'), 'CLAUDE.md'), 'utf8')).toBe(md);
    expect(readFileSync(join(wd('c2'), '.mcp.json'), 'utf8')).toBe('{"mcpServers": {"mine": ');
    const d = (await sb.run(['describe', 'c2'], env)).stdout;
    expect(d).toContain("CLAUDE.md: agentctl's section markers were edited (1 begin and 0 end markers)");
    expect(d).toContain('.mcp.json is not valid JSON');
    expect((await tmux.sessions()).has('c2')).toBe(true);
  });

  it('refuses a secret literal in an MCP entry at validate, with file, line and field', async () => {
    sb.write(
      'c3.yaml',
      doc('c3', { claude: { mcpServers: { db: { command: 'x', env: { PGPASSWORD: 'hunter2' } } } } }),
    );
    const r = await sb.run(['validate'], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout + r.stderr).toMatch(
      /c3\.yaml:4:\d+: spec\.claude\.mcpServers\.db\.env\.PGPASSWORD: a secret-looking value/,
    );
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it("in a worktree, agentctl's own unchanged files do not keep it from being pruned", async () => {
    const repo = join(sb.dir, 'repo');
    mkdirSync(repo);
    const git = (dir: string, ...a: string[]) => execa('git', ['-C', dir, ...a]);
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'i');
    sb.write('c4.yaml', doc('c4', { claude: { mcpServers: MCP, memory: 'm' }, workspace: { git: { repo } } }));
    expect((await once()).exitCode).toBe(0);
    expect(existsSync(join(wd('c4'), '.mcp.json'))).toBe(true);
    sb.remove('c4.yaml');
    await once();
    expect(existsSync(wd('c4'))).toBe(false);
  });
});
