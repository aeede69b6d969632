// The real Claude Code for tests: the pinned binary (installed on demand), an agent HOME, hook settings, a pane driver.
import { execa } from 'execa';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { isAlive } from './procs.js';
import { removeTree } from './remove-tree.js';
import type { TestTmux } from './tmux.js';

export const CLAUDE_CODE_VERSION = '2.1.328';
export const INSTALL_SCRIPT = join(ROOT, '.ci', 'install-claude.sh');

let binary: Promise<string> | undefined;

/**
 * The path of the pinned `claude` binary, installed by .ci/install-claude.sh when the shared cache
 * lacks it. The script holds a flock on the cache folder, so parallel test files (separate
 * processes) install once and the others wait; within one process the promise is shared.
 * Never skips: when the binary cannot be installed or does not answer its version, this rejects
 * and the calling test fails (a `beforeAll` calling it fails the whole file).
 */
export function claudeCodeBinary(): Promise<string> {
  binary ??= (async () => {
    const r = await execa('bash', [INSTALL_SCRIPT], { reject: false, timeout: 300_000, stdin: 'ignore' });
    const path = String(r.stdout).trim().split('\n').pop() ?? '';
    if (r.exitCode !== 0 || !path) {
      throw new Error(`${INSTALL_SCRIPT} failed (exit ${r.exitCode}):\n${String(r.stderr)}\n${String(r.stdout)}`);
    }
    const v = await execa(path, ['--version'], { reject: false, env: { DISABLE_AUTOUPDATER: '1' }, timeout: 60_000 });
    if (!String(v.stdout).startsWith(`${CLAUDE_CODE_VERSION} `)) {
      throw new Error(
        `${path} --version answered '${String(v.stdout)}' (exit ${v.exitCode}), not ${CLAUDE_CODE_VERSION}: ${String(v.stderr)}`,
      );
    }
    return path;
  })();
  binary.catch(() => (binary = undefined));
  return binary;
}

/** An agent key: its last 20 characters are what .claude.json remembers as approved. */
export const MOCK_API_KEY = 'sk-ant-api03-agentctl-mock-0123456789abcdefghij';

export interface ClaudeAgentDirs {
  base: string;
  home: string;
  workdir: string;
  /** The environment the agent runs with (HOME, API URL and key, no auto-updater, IS_SANDBOX as root). */
  env: Record<string, string>;
  cleanup(): void;
}

export interface ClaudeAgentOptions {
  /** The mock's URL, for ANTHROPIC_BASE_URL. */
  baseUrl: string;
  apiKey?: string;
  /** Writes the trust and API-key answers into .claude.json, so neither start-up dialog shows. */
  preAccept?: boolean;
  /** Reuse a HOME (e.g. a second start of the same agent); only .claude.json is (re)written when absent. */
  home?: string;
  workdir?: string;
}

/** The environment Claude Code needs to start offline against the mock. */
export function claudeAgentEnv(home: string, baseUrl: string, apiKey = MOCK_API_KEY): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: apiKey,
    DISABLE_AUTOUPDATER: '1',
  };
  // As root, --dangerously-skip-permissions is refused without it; harmless otherwise.
  if (process.getuid?.() === 0) env.IS_SANDBOX = '1';
  return env;
}

/** A fresh agent: HOME with `.claude.json` {"hasCompletedOnboarding": true} and an empty workdir. */
export function prepareClaudeAgent(opts: ClaudeAgentOptions): ClaudeAgentDirs {
  const base = mkdtempSync(join(tmpdir(), 'agentctl-claude-real-'));
  const home = opts.home ?? join(base, 'home');
  const workdir = opts.workdir ?? join(base, 'work');
  mkdirSync(home, { recursive: true });
  mkdirSync(workdir, { recursive: true });
  const apiKey = opts.apiKey ?? MOCK_API_KEY;
  const configFile = join(home, '.claude.json');
  if (!existsSync(configFile) || opts.preAccept) {
    const config: Record<string, unknown> = existsSync(configFile)
      ? (JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>)
      : {};
    config.hasCompletedOnboarding = true;
    if (opts.preAccept) {
      // What Claude Code itself writes after Down Enter on the trust dialog and Up Enter on the
      // API-key dialog (observed in 2.1.328).
      const projects = (config.projects ?? {}) as Record<string, Record<string, unknown>>;
      projects[workdir] = { ...projects[workdir], hasTrustDialogAccepted: true };
      config.projects = projects;
      config.customApiKeyResponses = { approved: [apiKey.slice(-20)], rejected: [] };
    }
    writeFileSync(configFile, JSON.stringify(config, null, 2));
  }
  return { base, home, workdir, env: claudeAgentEnv(home, opts.baseUrl, apiKey), cleanup: () => removeTree(base) };
}

export const HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'Notification',
  'Stop',
  'PreCompact',
  'SessionEnd',
  'PermissionRequest',
] as const;

export interface ClaudeHookEvent {
  hook_event_name: string;
  session_id: string;
  transcript_path: string;
  cwd: string;
  [k: string]: unknown;
}

export interface HookSettings {
  /** For `--settings FILE`. */
  file: string;
  eventsFile: string;
  statusFile: string;
  /** While this file exists, the PermissionRequest hook prints it on stdout (a decision). */
  decisionFile: string;
  events(): ClaudeHookEvent[];
  statusLines(): Array<Record<string, unknown>>;
  /** Sets (or with null removes) what the PermissionRequest hook answers. */
  setPermissionDecision(decision: unknown): void;
}

/**
 * A settings layer like the one agentctl generates (DESIGN.md §10.2): every hook appends its stdin
 * JSON as one line to the events file (POSIX sh, no Node per event), the status line appends its
 * JSON to the status file and prints a short line.
 */
export function writeHookSettings(dir: string): HookSettings {
  mkdirSync(dir, { recursive: true });
  const eventsFile = join(dir, 'events.jsonl');
  const statusFile = join(dir, 'status.jsonl');
  const decisionFile = join(dir, 'permission-decision.json');
  const hook = join(dir, 'hook.sh');
  const status = join(dir, 'status.sh');
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  // The JSON arrives on one line; tr drops any newline so one event is always one line.
  writeFileSync(
    hook,
    [
      '#!/bin/sh',
      '# Appends the hook input (one JSON object on stdin) as one line to the events file.',
      `{ tr -d '\\n'; echo; } >> ${q(eventsFile)}`,
      `if [ "$1" = PermissionRequest ] && [ -f ${q(decisionFile)} ]; then cat ${q(decisionFile)}; fi`,
      'exit 0',
      '',
    ].join('\n'),
  );
  writeFileSync(
    status,
    ['#!/bin/sh', `{ tr -d '\\n'; echo; } >> ${q(statusFile)}`, "printf 'agentctl-status\\n'", ''].join('\n'),
  );
  chmodSync(hook, 0o755);
  chmodSync(status, 0o755);
  const hooks = Object.fromEntries(
    HOOK_EVENTS.map((e) => [e, [{ hooks: [{ type: 'command', command: `${hook} ${e}` }] }]]),
  );
  const file = join(dir, 'settings.json');
  writeFileSync(file, JSON.stringify({ hooks, statusLine: { type: 'command', command: status, padding: 0 } }, null, 2));
  const lines = (f: string): Array<Record<string, unknown>> =>
    existsSync(f)
      ? readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];
  return {
    file,
    eventsFile,
    statusFile,
    decisionFile,
    events: () => lines(eventsFile) as ClaudeHookEvent[],
    statusLines: () => lines(statusFile),
    setPermissionDecision(decision) {
      if (decision === null) rmSync(decisionFile, { force: true });
      else writeFileSync(decisionFile, JSON.stringify(decision));
    },
  };
}

/** Polls `probe` every 200 ms until it returns a value other than undefined; throws `describe()` on timeout. */
export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string | Promise<string>,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface ClaudePane {
  name: string;
  pid: number;
  /** The visible pane, trailing blank lines dropped. */
  screen(): Promise<string>;
  /** Polls the screen until `pred` accepts it; returns that screen (the error shows the last one). */
  waitForScreen(pred: (screen: string) => boolean, timeoutMs?: number, what?: string): Promise<string>;
  /** Sends named keys, one send-keys call each (e.g. 'Down', 'Enter'). */
  keys(...keys: string[]): Promise<void>;
  /** Answers the menu on the screen with CHOICE the way agentctl does: MOVE until the screen shows
   * the cursor on it, then Enter until the menu is gone. Keys sent just after a dialog shows can be
   * lost (seen under load), so each is resent while the screen shows no effect of it. */
  choose(choice: string, move: 'Up' | 'Down', timeoutMs?: number): Promise<void>;
  /** Types TEXT literally (send-keys -l), waits until it shows in the input box, then sends Enter separately. */
  submit(text: string, timeoutMs?: number): Promise<void>;
  /** Kills the pane's process tree leader if it still runs (SIGHUP, then SIGKILL) and waits for it. */
  stop(): Promise<void>;
}

/** Starts `claude ARGS` in a new 100x40 session of the private tmux server. */
export async function startClaudePane(
  tmux: TestTmux,
  name: string,
  bin: string,
  args: string[],
  dirs: { workdir: string; env: Record<string, string> },
): Promise<ClaudePane> {
  const envArgs = Object.entries(dirs.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const r = await tmux.run(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '100',
    '-y',
    '40',
    '-c',
    dirs.workdir,
    ...envArgs,
    '-P',
    '-F',
    '#{pane_pid}',
    '--',
    bin,
    ...args,
  );
  if (r.exitCode !== 0) throw new Error(`tmux new-session: ${r.stderr}`);
  const pid = Number(r.stdout.trim());
  // The pane stays after claude exits, so its last screen can still be read.
  await tmux.run('set-option', '-t', name, 'remain-on-exit', 'on');
  const screen = async (): Promise<string> =>
    (await tmux.run('capture-pane', '-p', '-t', name)).stdout.replace(/\s+$/, '');
  const pane: ClaudePane = {
    name,
    pid,
    screen,
    async waitForScreen(pred, timeoutMs = 60_000, what = 'the expected screen') {
      let last = '';
      return waitUntil(
        async () => {
          last = await screen();
          return pred(last) ? last : undefined;
        },
        timeoutMs,
        () => `${what}; last screen of ${name}:\n${last}`,
      );
    },
    async keys(...keys) {
      for (const k of keys) {
        const s = await tmux.run('send-keys', '-t', name, k);
        if (s.exitCode !== 0) throw new Error(`send-keys ${k}: ${s.stderr}`);
      }
    },
    async choose(choice, move, timeoutMs = 60_000) {
      const esc = choice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const option = new RegExp(`^\\s*(?:❯\\s*)?${esc}\\s*$`, 'm');
      const onIt = new RegExp(`^\\s*❯\\s*${esc}\\s*$`, 'm');
      const end = Date.now() + timeoutMs;
      for (;;) {
        const before = await screen();
        if (!option.test(before)) return;
        if (Date.now() > end) throw new Error(`choose '${choice}': the menu stayed; last screen:\n${before}`);
        const k = onIt.test(before) ? 'Enter' : move;
        await pane.keys(k);
        // Up to 3 s for the screen to show an effect; otherwise the key was lost and goes again.
        await waitUntil(
          async () => ((await screen()) !== before ? true : undefined),
          3000,
          () => '',
        ).catch(() => undefined);
      }
    },
    async submit(text, timeoutMs = 30_000) {
      const s = await tmux.run('send-keys', '-t', name, '-l', text);
      if (s.exitCode !== 0) throw new Error(`send-keys -l: ${s.stderr}`);
      await pane.waitForScreen((sc) => inputLine(sc)?.includes(text) ?? false, timeoutMs, `'${text}' in the input box`);
      await pane.keys('Enter');
    },
    async stop() {
      if (!isAlive(pid)) return;
      try {
        process.kill(pid, 'SIGHUP');
      } catch {
        return;
      }
      const end = Date.now() + 10_000;
      while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
  return pane;
}

/** The text of the input box: the line starting with `❯ ` between the last two horizontal rules. */
export function inputLine(screen: string): string | undefined {
  const lines = screen.split('\n');
  const rules = lines.map((l, i) => (/^─{20,}$/.test(l.trim()) ? i : -1)).filter((i) => i >= 0);
  if (rules.length < 2) return undefined;
  const [a, b] = [rules[rules.length - 2]!, rules[rules.length - 1]!];
  const box = lines.slice(a + 1, b).join('\n');
  return box.startsWith('❯') ? box.slice(1).trim() : undefined;
}

/** The input box is the active screen: two rules around a `❯` line, nothing but footers below. */
export function atInputBox(screen: string): boolean {
  return inputLine(screen) !== undefined;
}

/** Saves a screen as a corpus file (test/fixtures/claude-real/screens/NAME.txt) when AGENTCTL_CAPTURE_SCREENS is set. */
export function saveScreen(name: string, screen: string): void {
  const dir = process.env.AGENTCTL_CAPTURE_SCREENS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.txt`), screen.replace(/[ \t]+$/gm, '') + '\n');
}

/** Appends a timing line to AGENTCTL_CLAUDE_TIMINGS (a file) when set: how long each step took. */
export function recordTiming(step: string, ms: number): void {
  const f = process.env.AGENTCTL_CLAUDE_TIMINGS;
  if (f) appendFileSync(f, `${step}\t${ms}\n`);
}
