// Event sources of the agent controller, each mapped to names to reconcile: specs, state dir, resync, requests.
import { ensurePrivateDir } from '../../src/util/ensure-dir.js';
import { join } from 'node:path';
import type { Controller } from '../../src/engine/controller.js';
import { watchFolders, type FolderWatch } from '../../src/engine/folder-watch.js';
import { serialised } from '../../src/engine/periodic.js';
import { SpecWatcher } from '../../src/engine/spec-watcher.js';
import { readRequests, removeRequest, requestsDir } from '../../src/registry/requests.js';
import { applyRequest } from './apply-request.js';
import { formatSpecError } from '../../src/spec/errors.js';
import { emptyRecord } from '../../src/registry/record.js';
import type { Observation } from '../../src/runtime/types.js';
import { agentOfFile } from '../../src/runtime/exit-files.js';
import type { AgentDeps } from './deps.js';
import { needsReconcile } from './drift.js';
import { allNames, runtimeKeysInUse } from './inventory.js';
import { placementOf, runtimeKeyOf } from './placement.js';

export function reportSpecErrors(d: AgentDeps): void {
  for (const e of d.desired.specs.errors)
    d.log.warn({ file: e.file, line: e.line, col: e.col, field: e.path }, `invalid spec: ${formatSpecError(e)}`);
}

/** Reloads the specs (all of them, or only if a stat says a file changed) and enqueues what changed. */
export function specReloader(d: AgentDeps, c: Controller, onReloaded?: () => void): (force: boolean) => Promise<void> {
  let force = true;
  const run = serialised(async () => {
    const f = force;
    force = true;
    try {
      const changed = f ? await d.desired.reload(d.records.all()) : await d.desired.reloadIfChanged(d.records.all());
      if (changed.size > 0) {
        d.log.info({ changed: changed.size, errors: d.desired.specs.errors.length }, 'specs changed');
        reportSpecErrors(d);
        onReloaded?.();
      }
      c.enqueueAll(changed);
    } catch (err) {
      d.log.error({ error: (err as Error).message }, 'cannot load specs');
    }
  });
  return (f: boolean) => {
    force = force && f;
    return run();
  };
}

export function watchSpecs(d: AgentDeps, specsDir: string, reload: (force: boolean) => Promise<void>): SpecWatcher {
  return new SpecWatcher(specsDir, () => void reload(true), d.log);
}

/** Exit files, closed-session marks and requests are written into the state dir: watching it
 * wakes the right agent at once instead of at the next resync. */
export async function watchStateDir(
  d: AgentDeps,
  c: Controller,
  runDirs: readonly string[],
  onRequest: () => void,
): Promise<FolderWatch> {
  for (const dir of [...runDirs, requestsDir(d.identity.stateDir)]) await ensurePrivateDir(dir);
  return watchFolders(
    [...runDirs, requestsDir(d.identity.stateDir)],
    (file) => {
      if (file.endsWith('.exit') || file.endsWith('.closed')) {
        // The agent's process ended (or its session closed) after any view we hold: look afresh.
        const name = agentOfFile(file);
        d.views.needFresh(name);
        c.enqueue(name);
      } else if (file.endsWith('.json')) onRequest();
    },
    (file) => file.endsWith('.exit') || file.endsWith('.closed') || file.endsWith('.json'),
  );
}

/** Carries out restart/suspend/resume requests left by the command line. */
export function requestConsumer(d: AgentDeps, c: Controller): () => Promise<void> {
  return serialised(async () => {
    for (const p of await readRequests(d.identity.stateDir)) {
      if (!p.request) {
        d.log.warn({ file: p.file, error: p.error }, 'ignoring unreadable request');
        const code = await removeRequest(p.file);
        if (code) d.log.warn({ file: p.file, code }, 'cannot remove the request file');
        continue;
      }
      for (const name of p.request.names) {
        const desired = d.desired.get(name);
        const existing =
          d.records.get(name) ??
          (desired
            ? { ...emptyRecord(name, desired.spec.runtime, d.identity.owner, d.now()), ...placementOf(desired) }
            : undefined);
        if (!existing) {
          d.log.warn({ agent: name, request: p.request.type }, 'request for an unknown agent ignored');
          continue;
        }
        await d.records.save(applyRequest(existing, p.request));
        d.log.info({ agent: name, request: p.request.type, stop: p.request.stop }, `${p.request.type} requested`);
        c.enqueue(name);
      }
      const code = await removeRequest(p.file);
      if (code) d.log.warn({ file: p.file, code }, 'cannot remove the request file; it may be carried out again');
    }
  });
}

/** The periodic safety net: specs reloaded if changed, every runtime observed once, drifted
 * agents enqueued. Returns false while no runtime could be observed yet. */
export async function resync(d: AgentDeps, c: Controller, reload: (force: boolean) => Promise<void>): Promise<boolean> {
  await reload(false);
  const keys = runtimeKeysInUse(d);
  let queued = 0;
  const foreign: string[] = [];
  const look = (name: string, v: Observation | Error | undefined): void => {
    if (v instanceof Error) {
      c.enqueue(name); // shown as Unknown by its reconcile; never acted on blindly
      return;
    }
    if (needsReconcile(d.desired.get(name), d.records.get(name), v?.agents.get(name), d.identity.owner)) {
      c.enqueue(name);
      queued++;
    }
  };
  const keyOf = (name: string): string => runtimeKeyOf(d.desired.get(name), d.records.get(name));
  const observing = d.views.observeAll(keys);
  for (const name of allNames(d)) if (!observing.has(keyOf(name))) look(name, undefined);
  // Each runtime's agents are looked at as soon as its own view is in: a host that hangs delays
  // only its own agents.
  const views = await Promise.all(
    [...observing].map(async ([key, p]) => {
      const v = await p;
      if (v instanceof Error) d.log.warn({ runtime: key, error: v.message }, 'cannot observe runtime');
      else foreign.push(...v.foreign);
      for (const name of allNames(d)) if (keyOf(name) === key) look(name, v);
      return v;
    }),
  );
  if (queued > 0 || foreign.length > 0) d.log.info({ queued, foreign }, 'resync');
  else d.log.debug({ queued }, 'resync');
  return views.some((v) => !(v instanceof Error));
}

/** Every second, asks each runtime that can tell cheaply whether its server still answers: a tmux
 * server killed with all its sessions is noticed in a second, not at the next resync. */
export function watchServers(d: AgentDeps, c: Controller, everyMs = 1000): () => void {
  const last = new Map<string, boolean>();
  const timer = setInterval(() => {
    for (const key of runtimeKeysInUse(d)) {
      const check = d.runtimes.get(key).serverAlive;
      if (!check) continue;
      void check().then((alive) => {
        const was = last.get(key);
        last.set(key, alive);
        if (alive || was === false) return;
        // Gone (or never seen up since this controller started) while agents of ours live there.
        const names = [...allNames(d)].filter(
          (n) => runtimeKeyOf(d.desired.get(n), d.records.get(n)) === key && d.records.get(n)?.handle != null,
        );
        if (names.length === 0) return;
        d.log.warn(
          { runtime: key, agents: names.length },
          "the runtime's server went away: looking at its agents again",
        );
        for (const name of names) {
          d.views.needFresh(name);
          c.enqueue(name);
        }
      });
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export const runDirsOf = (stateDir: string): string[] => [
  join(stateDir, 'run', 'tmux'),
  join(stateDir, 'run', 'slurm'),
];
