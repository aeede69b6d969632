// The hook runner: runs a hook's entries in order with their timeouts and reports each outcome.
import type { Logger } from 'pino';
import { baseEnv } from '../runtime/agent-env.js';
import { scrubSecrets } from '../spec/secrets.js';
import { normaliseEntry, type NormalisedEntry } from './entry.js';
import { hookCwd, hookEnv } from './env.js';
import { outputTail } from './output-tail.js';
import { runProcess } from './process-hook.js';
import type { HookContext, HookOutcome, HookRunner } from './types.js';
import { postUrl } from './url-hook.js';

export class ProcessHookRunner implements HookRunner {
  private readonly inFlight = new Set<Promise<void>>();

  /** `base`: the agents' base environment on this machine (DESIGN §9.5). */
  constructor(
    private readonly log: Logger,
    private readonly base: Record<string, string> = baseEnv(process.env),
  ) {}

  async run(ctx: HookContext): Promise<HookOutcome[]> {
    if (ctx.background) {
      // Notices (onWaiting, onIdle): the reconcile goes on at once; outcomes go to the log only.
      const tracked = this.runEntries({ ...ctx, background: false, awaitUrls: true }).then(
        () => undefined,
        (err: unknown) => this.log.warn({ agent: ctx.name, hook: ctx.hook, err }, 'hook failed'),
      );
      this.inFlight.add(tracked);
      void tracked.finally(() => this.inFlight.delete(tracked));
      return [];
    }
    return this.runEntries(ctx);
  }

  private async runEntries(ctx: HookContext): Promise<HookOutcome[]> {
    const entries = ctx.spec.hooks?.[ctx.hook] ?? [];
    const outcomes: HookOutcome[] = [];
    for (const raw of entries) {
      const entry = normaliseEntry(raw);
      const outcome = entry.kind === 'url' ? await this.runUrl(entry, ctx) : await this.runProcessEntry(entry, ctx);
      outcomes.push(outcome);
      this.log.debug(
        {
          agent: ctx.name,
          hook: ctx.hook,
          entry: outcome.entry,
          ok: outcome.ok,
          exitCode: outcome.exitCode,
          timedOut: outcome.timedOut,
          durationMs: outcome.durationMs,
        },
        'hook entry finished',
      );
      // A failed preStart entry blocks the start; later entries would run against a start that
      // will not happen.
      if (!outcome.ok && ctx.hook === 'preStart') break;
    }
    return outcomes;
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async runProcessEntry(
    entry: Extract<NormalisedEntry, { kind: 'process' }>,
    ctx: HookContext,
  ): Promise<HookOutcome> {
    const r = await runProcess(entry.file, entry.args, {
      env: { ...this.base, ...hookEnv(ctx) },
      cwd: hookCwd(ctx.workdir),
      timeoutMs: entry.timeoutMs,
    });
    return {
      entry: scrubSecrets(entry.describe, ctx.secrets),
      ok: r.exitCode === 0 && !r.timedOut,
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      durationMs: r.durationMs,
      outputTail: outputTail(r.output, ctx.secrets),
      ...(r.error !== undefined ? { error: scrubSecrets(r.error, ctx.secrets) } : {}),
    };
  }

  /** URL entries never hold a reconcile: a `background` outcome is returned at once, and the real
   * one is logged and handed to `ctx.onSettled` when it arrives (bounded by the entry's timeout). */
  private async runUrl(entry: Extract<NormalisedEntry, { kind: 'url' }>, ctx: HookContext): Promise<HookOutcome> {
    const payload = ctx.payload ?? {
      agent: ctx.name,
      hook: ctx.hook,
      specHash: ctx.specHash,
      time: new Date().toISOString(),
    };
    const send = postUrl(entry.url, entry.describe, payload, entry.timeoutMs).then((r) => {
      const error = r.error ? scrubSecrets(r.error.reason, ctx.secrets) : undefined;
      const fields = {
        agent: ctx.name,
        hook: ctx.hook,
        entry: entry.describe,
        status: r.status,
        timedOut: r.timedOut,
        durationMs: r.durationMs,
      };
      if (r.ok) this.log.info(fields, 'url hook delivered');
      else this.log.warn({ ...fields, error }, 'url hook failed');
      return { r, error };
    });
    const settled = send.then(({ r, error }): HookOutcome => ({
      entry: entry.describe,
      ok: r.ok,
      exitCode: null,
      timedOut: r.timedOut,
      durationMs: r.durationMs,
      outputTail: r.status === null ? '' : `HTTP ${r.status}`,
      ...(error !== undefined ? { error } : {}),
    }));
    if (ctx.awaitUrls) return settled;
    const tracked: Promise<void> = settled.then(
      (o) => ctx.onSettled?.(o),
      // postUrl reports failures as values; this only guards against a logger that throws.
      () => undefined,
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return {
      entry: entry.describe,
      ok: true,
      exitCode: null,
      timedOut: false,
      durationMs: 0,
      outputTail: '',
      background: true,
    };
  }
}
