// spec.workspace validation: repos, refs and branches that git would misread, copy from a clone, defaults.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/spec/assemble.js';
import { formatSpecError } from '../../../src/spec/errors.js';
import { parseYaml } from '../../../src/spec/yaml-source.js';

const doc = (name: string, workspace: string, extra = ''): string =>
  `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: ${name}\nspec:\n  command: [x]\n${extra}  workspace: ${workspace}\n`;
const load = (...texts: string[]) =>
  assemble({ files: texts.map((t, i) => parseYaml(`specs/f${i}.yaml`, t)), overlays: new Map() });
const errorsOf = (...texts: string[]) => load(...texts).errors.map(formatSpecError);

describe('spec.workspace', () => {
  it('fills in the defaults: ref HEAD, branch agent/{name}, no setup, 600 s setup timeout', () => {
    const a = load(doc('a', '{git: {repo: ~/src/app}}')).agents.get('a')!;
    expect(a.document.spec.workspace).toEqual({
      git: { repo: '~/src/app', ref: 'HEAD', worktree: true, branch: 'agent/{name}' },
      setup: [],
      setupTimeoutSeconds: 600,
      copy: [],
    });
  });

  it.each([
    [
      '{git: {repo: src/app}}',
      'spec.workspace.git.repo: a local repository (absolute path or ~/...) or a URL git can clone',
    ],
    ['{git: {repo: /r, ref: --upload-pack=x}}', 'spec.workspace.git.ref: ref must not start with "-"'],
    ['{git: {repo: /r, ref: "a..b"}}', 'spec.workspace.git.ref: ref must not contain ".."'],
    ['{git: {repo: /r, branch: "agent/{name} x"}}', 'spec.workspace.git.branch: branch must not contain spaces'],
    ['{git: {repo: /r, worktree: false}}', 'spec.workspace.git.worktree'],
    ['{git: {repo: "https://h/app.git"}, copy: [.env]}', 'spec.workspace.copy: copy needs a local repository'],
    ['{git: {repo: /r}, copy: [../x]}', 'spec.workspace.copy[0]: file path must not contain ".."'],
    ['{git: {repo: /r}, setup: [[]]}', 'spec.workspace.setup[0]: must hold at least the program'],
    ['{git: {repo: /r}, setupTimeoutSeconds: 0}', 'spec.workspace.setupTimeoutSeconds'],
    ['{git: {repo: /r}, sync: true}', 'spec.workspace'],
  ])('%s', (ws, want) => {
    const errors = errorsOf(doc('a', ws));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(want);
    expect(errors[0]).toMatch(/^specs\/f0\.yaml:7:\d+: /);
  });

  it.each(['https://github.com/o/r.git', 'git@github.com:o/r.git', 'ssh://git@h:2222/r', 'file:///srv/r', '/srv/r'])(
    'takes %s as a repository',
    (repo) => expect(errorsOf(doc('a', `{git: {repo: "${repo}"}}`))).toEqual([]),
  );

  it('refuses two agents with one worktree (same workdir, same host), on both, and allows other hosts', () => {
    const a = doc('a', '{git: {repo: /r}}', '  workdir: /w/x\n');
    const b = doc('b', '{git: {repo: /r}}', '  workdir: /w/x/\n');
    expect(errorsOf(a, b)).toEqual([
      'specs/f0.yaml:7:12: spec.workdir: worktree /w/x is also the workspace of b at specs/f1.yaml:1: two agents never share a worktree',
      'specs/f1.yaml:7:12: spec.workdir: worktree /w/x/ is also the workspace of a at specs/f0.yaml:1: two agents never share a worktree',
    ]);
    expect(errorsOf(a, doc('b', '{git: {repo: /r}}', '  workdir: /w/x\n  host: other\n'))).toEqual([]);
    expect(errorsOf(a, b.replace(/  workspace.*\n/, ''))).toEqual([]);
  });
});

describe('claude.mcpServers and claude.memory', () => {
  const claude = (body: string, extra = '') =>
    `apiVersion: agentctl/v1\nkind: Agent\nmetadata:\n  name: c\nspec:\n${extra}  claude:\n${body}`;
  it('refuses a secret literal where a ${VAR} reference belongs, naming file, line and field', () => {
    const text = claude(
      '    mcpServers:\n      db:\n        command: psql-mcp\n        env: {PGPASSWORD: hunter2, PGHOST: db1, API_KEY: "${API_KEY}"}\n',
    );
    expect(errorsOf(text)).toEqual([
      'specs/f0.yaml:10:27: spec.claude.mcpServers.db.env.PGPASSWORD: a secret-looking value must be a ${VAR} reference (Claude Code expands it when it starts): agentctl never writes a secret into .mcp.json',
    ]);
    const http = claude(
      '    mcpServers:\n      w: {type: http, url: "https://x", headers: {Authorization: "Bearer abc"}}\n',
    );
    expect(errorsOf(http)[0]).toContain('spec.claude.mcpServers.w.headers.Authorization: a secret-looking value');
  });

  it('accepts references, plain values and memory text', () => {
    const text = claude(
      '    mcpServers:\n      db: {command: psql-mcp, env: {PGPASSWORD: "${PGPASSWORD}", DB_TOKEN: ""}}\n    memory: "Use the db server."\n',
    );
    expect(errorsOf(text)).toEqual([]);
  });

  it('refuses .mcp.json or CLAUDE.md in files beside the fields that build them, and markers in memory', () => {
    const text = claude(
      '    mcpServers: {db: {command: x}}\n    memory: "<!-- agentctl:memory end -->"\n',
      '  files: {.mcp.json: "{}", CLAUDE.md: "x"}\n',
    );
    const errors = errorsOf(text).join('\n');
    expect(errors).toContain('spec.files[".mcp.json"]: claude.mcpServers writes .mcp.json');
    expect(errors).toContain('spec.files["CLAUDE.md"]: claude.memory keeps a section of CLAUDE.md');
    expect(errors).toContain('spec.claude.memory: must not contain "<!-- agentctl:"');
  });
});
