// Output at a real terminal (a pty from script(1)) against the same commands in a pipe: short log
// lines and a live waiting line, colour, relative times; pipes keep JSON logs and plain text.
import { execa } from 'execa';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { agentYaml, CLI } from '../../helpers/cli.js';
import { useTmuxSandbox } from '../../helpers/fixture.js';

const fx = useTmuxSandbox();

/** Runs the CLI on a pseudo-terminal; returns everything the terminal received. */
async function atTerminal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const line = ['node', CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  // The sandbox's JSON log format is dropped: at a terminal the default is what is tested.
  const { AGENTCTL_LOG_FORMAT: _json, ...sbEnv } = fx.sb.env;
  const r = await execa('script', ['-qec', line, '/dev/null'], {
    env: { ...sbEnv, TERM: 'xterm', ...env },
    extendEnv: false,
    reject: false,
    cwd: fx.sb.dir,
  });
  return String(r.stdout);
}

/** The lines a person would see: the live line's redraws collapsed, colours removed. */
const seen = (raw: string): string[] =>
  raw
    .split(/\r?\n/)
    .map((l) => stripVTControlCharacters(l.split('\r').at(-1)!))
    .filter((l) => l !== '');

const fleet = (): void => {
  fx.sb.write(
    'db.yaml',
    agentYaml('db', ['sleep', '3600'], {
      healthCheck: { exec: ['sh', '-c', 'exit 1'], periodSeconds: 1, failureThreshold: 100 },
    }),
  );
  fx.sb.write('app.yaml', agentYaml('app', ['sleep', '3600'], { dependsOn: ['db'] }));
  fx.sb.write('c.yaml', agentYaml('c', ['sleep', '3600']));
};

describe('reconcile --once at a terminal', () => {
  it('one short line per action, and a live line of what it waits for that leaves nothing behind', async () => {
    fleet();
    const raw = await atTerminal(['reconcile', '--once', '--timeout', '3s']);
    const lines = seen(raw);
    expect(lines.filter((l) => l.includes('started agent'))).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d (c|db): started agent \(NotRunning\)$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d (c|db): started agent \(NotRunning\)$/),
    ]);
    // No multi-line records (pino-pretty printed each field on its own indented line).
    expect(lines.filter((l) => /^\s/.test(l))).toEqual([]);
    expect(raw).toMatch(/waiting \ds: 1\/3 Ready — app Pending \(waiting for db to be Ready\), 1 more/);
    expect(lines.slice(-3)).toEqual([
      'app: not converged: Pending (DependencyNotReady): waiting for db to be Ready',
      'db: not converged: Running (NotReady): health check failing: exit code 1',
      '1/3 agent(s) converged (timed out after 3s)',
    ]);
  });

  it('in a pipe: JSON logs, no live line, no colour', async () => {
    fleet();
    const { AGENTCTL_LOG_FORMAT: _json, ...env } = fx.sb.env;
    const r = await execa('node', [CLI, 'reconcile', '--once', '--timeout', '3s'], {
      env: { ...env, TERM: 'xterm' },
      extendEnv: false,
      reject: false,
      cwd: fx.sb.dir,
    });
    expect(r.exitCode).toBe(1);
    const logs = r.stderr.split('\n').filter(Boolean);
    expect(logs.length).toBeGreaterThan(1);
    for (const l of logs) expect(() => JSON.parse(l)).not.toThrow();
    expect(r.stderr + r.stdout).not.toMatch(/waiting \d+s:/);
    expect(r.stderr + r.stdout).not.toContain('\u001b[');
  });
});

describe('get, diff and describe at a terminal', () => {
  it('colour phases and actions (none under NO_COLOR); describe says how long ago', async () => {
    fx.sb.write('c.yaml', agentYaml('c', ['sleep', '3600']));
    expect(await atTerminal(['diff'])).toContain('\u001b[32mcreate\u001b[39m');
    expect((await fx.sb.run(['reconcile', '--once'])).exitCode).toBe(0);
    expect(await atTerminal(['get'])).toContain('\u001b[32mRunning\u001b[39m');
    expect(await atTerminal(['get'], { NO_COLOR: '1' })).not.toContain('\u001b[');
    const described = seen(await atTerminal(['describe', 'c']));
    expect(described.find((l) => l.startsWith('Started:'))).toMatch(/^Started:\s+\d+s ago$/);
    expect(described).toContainEqual(expect.stringMatching(/^ {2}LAST SEEN\s+TYPE\s+REASON\s+MESSAGE$/));
    // In a pipe, ISO times as before.
    expect((await fx.sb.run(['describe', 'c'])).stdout).toMatch(/^Started:\s+\d{4}-\d\d-\d\dT[\d:.]+Z$/m);
  });
});
