// agentctl describe NAME: spec summary, status, conditions and events, like kubectl describe.
import { shortHash } from '../../spec/hash.js';
import { redactEnv } from '../../spec/secrets.js';
import { resolveArgv } from '../../workspace/prepare.js';
import { createContext, type GlobalOptions } from '../context.js';
import { loadStatus } from '../status-load.js';
import { ExitError } from '../exit.js';
import type { StatusItem } from '../../../controllers/agent/status-items.js';
import { statusNow } from '../status-now.js';
import { renderTable } from '../table.js';
import { quoteArg, shellQuote } from '../quote.js';
import { mergedTitle, mergeEvents, shortDuration } from '../../http/merge-events.js';
import { stdoutPaint } from '../tty/colour.js';
import { visibleText } from '../visible.js';
import { costText } from '../get-view.js';

/** Times as a person at a terminal reads them (`3m ago`), and as ISO 8601 in a pipe. */
export function timeText(iso: string | null | undefined, relative: boolean, now: number): string {
  if (!iso) return '-';
  if (!relative) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return ms > now ? `in ${shortDuration(ms - now)}` : `${shortDuration(now - ms)} ago`;
}
import type { StartupRecord } from '../../registry/session-record.js';

function startupLine(s: StartupRecord): string {
  const answered = Object.keys(s.answered);
  const parts = [s.stage === 'done' ? (s.outcome ?? 'done') : `in progress (${s.stage})`];
  if (answered.length) parts.push(`prompts answered: ${answered.join(', ')}`);
  if (s.readyAt !== null) parts.push(`ready after ${((s.readyAt - s.startedAt) / 1000).toFixed(1)}s`);
  if (s.commandsSent > 0) parts.push(`${s.commandsSent} command(s) typed`);
  return parts.join('; ');
}

const SOURCE_WORDS = { transcript: 'transcript', pane: 'pane', hooks: 'status line', none: 'nothing' } as const;

/** `WaitingForInput (permission: Claude needs your permission) since …`. */
export function activityLine(c: NonNullable<StatusItem['claude']>, when: (iso: string) => string): string {
  const why = c.waitingFor ? ` (${c.waitingFor}${c.waitingMessage ? `: ${c.waitingMessage}` : ''})` : '';
  const since = c.activitySince ? ` since ${when(c.activitySince)}` : '';
  const hookless = c.activity === 'Unknown' ? ' (no hooks heard from this Claude Code)' : '';
  return `${c.activity}${why}${since}${hookless}`;
}

/** `$0.0041 (this session, from Claude Code's status line)`, or that it is not known yet. */
export function costLine(c: NonNullable<StatusItem['claude']>): string {
  return c.costUsd !== null
    ? `${costText(c.costUsd)} (this session, from Claude Code's status line)`
    : '- (no status line heard from this Claude Code yet)';
}

export async function describe(g: GlobalOptions, name: string): Promise<void> {
  const ctx = createContext(g);
  const { specs, records } = await loadStatus(ctx);
  const item = (await statusNow(ctx, specs, records)).find((i) => i.name === name);
  if (!item) throw new ExitError(1, `unknown agent: ${name}`);
  const d = specs.agents.get(name);
  const r = records.get(name);
  const p = stdoutPaint();
  const now = Date.now();
  const when = (iso: string | null | undefined): string => timeText(iso, p.on, now);
  const lines: [string, string][] = [
    ['Name', name],
    ['Source', item.source ?? '-'],
    ['Runtime', item.runtime],
    ['Desired state', item.desiredState],
    ['Phase', p.phase(item.phase, item.ready)],
    ['Ready', item.ready ? 'True' : 'False'],
    ['Message', item.message || '-'],
    ['Handle', item.handle ?? '-'],
    ['Started', when(item.startedAt)],
    ['Restarts', String(item.restarts)],
    [
      'Last exit',
      item.lastExit && r?.lastExit
        ? item.lastExit.replace(/ at .*$/, ` at ${when(new Date(r.lastExit.at).toISOString())}`)
        : (item.lastExit ?? '-'),
    ],
    [
      'Spec hash',
      `${shortHash(d?.hash) || '-'} (desired), ${shortHash(item.specHash) || '-'} (applied)${item.upToDate ? '' : d && item.specHash ? ': out of date' : ''}`,
    ],
  ];
  if (r?.nextStartAt) lines.push(['Next start', when(new Date(r.nextStartAt).toISOString())]);
  if (item.claude) {
    const c = item.claude;
    lines.push([
      'Claude',
      `model ${c.model ?? '-'}, session ${c.sessionId ?? '-'}, context ${c.contextPercent !== null ? `${c.contextPercent}%` : 'unknown'}${r?.claude?.source && r.claude.source !== 'none' ? ` (from the ${SOURCE_WORDS[r.claude.source]})` : ''}, last activity ${c.lastActivity ? when(c.lastActivity) : '-'}`,
    ]);
    lines.push(['Activity', activityLine(c, when)]);
    lines.push(['Cost', costLine(c)]);
    if (c.transcriptPath) lines.push(['Transcript', c.transcriptPath]);
  }
  if (r?.startup && r.startup.handle === r.handle) lines.push(['Startup', startupLine(r.startup)]);
  for (const [k, v] of Object.entries(item.details)) lines.push([`Slurm ${k}`, v]);
  if (d) {
    const s = d.spec;
    const argv = await resolveArgv(d, ctx.home);
    lines.push(['Command', shellQuote(argv)]);
    lines.push(['Workdir', s.workdir ?? '-']);
    const env = redactEnv(s.env) ?? {};
    lines.push([
      'Env',
      Object.keys(env).length
        ? Object.entries(env)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', ')
        : '-',
    ]);
    if (s.envFiles.length) lines.push(['Env files', `${s.envFiles.join(', ')} (values not shown)`]);
    if (Object.keys(s.files).length) lines.push(['Files', Object.keys(s.files).join(', ')]);
    lines.push([
      'Restart policy',
      `${s.restartPolicy} (backoff ${s.backoff.initialSeconds}s doubling to ${s.backoff.maxSeconds}s, reset after ${s.backoff.resetAfterSeconds}s)`,
    ]);
    if (s.healthCheck) {
      const hc = s.healthCheck;
      lines.push([
        'Health check',
        `${hc.exec ? `exec ${hc.exec.map(quoteArg).join(' ')}` : `http ${hc.http}`} every ${hc.periodSeconds}s, timeout ${hc.timeoutSeconds}s, threshold ${hc.failureThreshold}, delay ${hc.initialDelaySeconds}s`,
      ]);
    }
    if (s.dependsOn.length) lines.push(['Depends on', s.dependsOn.join(', ')]);
    if (s.host) lines.push(['Host', s.host]);
    const hooks = Object.entries(s.hooks).filter(([, v]) => v && v.length);
    if (hooks.length) lines.push(['Hooks', hooks.map(([k, v]) => `${k} (${v.length})`).join(', ')]);
    if (s.listen.length)
      lines.push(['Listen', s.listen.map((l) => `${l.name ? `${l.name}=` : ''}${l.port}/${l.proto}`).join(', ')]);
    if (Object.keys(d.document.metadata.labels).length)
      lines.push([
        'Labels',
        Object.entries(d.document.metadata.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      ]);
  }
  const width = Math.max(...lines.map(([k]) => k.length)) + 2;
  // Values come from specs, agents, hooks and checks: their control characters are shown, never
  // sent raw to the terminal (OSC 52 would set the clipboard). Phase alone carries our colour.
  let out = lines.map(([k, v]) => `${`${k}:`.padEnd(width)}${k === 'Phase' ? v : visibleText(v)}`).join('\n') + '\n';
  out += '\nConditions:\n';
  out += item.conditions.length
    ? renderTable(
        ['  TYPE', 'STATUS', 'REASON', 'LAST TRANSITION', 'MESSAGE'],
        item.conditions.map((c) => [
          `  ${c.type}`,
          c.status,
          visibleText(c.reason),
          when(c.lastTransitionTime),
          visibleText(c.message || '-'),
        ]),
      )
    : '  <none>\n';
  out += '\nEvents:\n';
  // Repeats (the same reason and message but for numbers) are one line, as kubectl shows them.
  const events = mergeEvents(r?.events ?? []);
  out += events.length
    ? renderTable(
        [p.on ? '  LAST SEEN' : '  TIME', 'TYPE', 'REASON', 'MESSAGE'],
        events.map((e) => [
          `  ${when(e.lastTime)}`,
          e.type === 'Warning' ? p.style('yellow', e.type) : e.type,
          visibleText(mergedTitle(e)),
          visibleText(e.message),
        ]),
      )
    : '  <none>\n';
  process.stdout.write(out);
}
