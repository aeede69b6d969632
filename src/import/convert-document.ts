// Converts one document of the old format (a plain value) into an agentctl/v1 Agent and its notes.
import { mapClaude, type NewClaude } from './map-claude.js';
import { mapHealth, type NewHealthCheck } from './map-health.js';
import { mapHooks, type NewHooks } from './map-hooks.js';
import { mapMetadata, type NewMetadata } from './map-metadata.js';
import { mapCommand, mapEnv, mapWorkdir } from './map-process.js';
import { mapRestart } from './map-restart.js';
import { mapRuntime, noteScreen } from './map-runtime.js';
import { mapSlurm } from './map-slurm.js';
import { Notes } from './notes.js';
import type { BackoffSpec, RestartPolicy, RuntimeName, SlurmSpec } from '../spec/schema.js';
import { child, isMap, type OldMap } from './values.js';

/** Field order follows DESIGN §2, so converted specs read like hand-written ones. */
export interface NewSpec {
  runtime?: RuntimeName;
  command?: string[];
  claude?: NewClaude;
  workdir?: string;
  env?: Record<string, string | number | boolean>;
  restartPolicy?: RestartPolicy;
  backoff?: Partial<BackoffSpec>;
  healthCheck?: NewHealthCheck;
  hooks?: NewHooks;
  slurm?: SlurmSpec;
}

export interface NewDocument {
  apiVersion: 'agentctl/v1';
  kind: 'Agent';
  metadata: NewMetadata;
  spec: NewSpec;
}

export interface ConvertedDocument {
  value: NewDocument;
  notes: Notes;
}

/** Keys of the old spec that other keys consume (model and claude are read together). */
const HANDLED = new Set(['runtime', 'command', 'model', 'claude', 'workdir', 'env', 'restart', 'health', 'hooks', 'slurm', 'screen']);

export function convertDocument(old: OldMap, fallbackName: string): ConvertedDocument {
  const notes = new Notes();
  for (const [key, value] of Object.entries(old)) {
    if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata' && key !== 'spec') notes.notMapped(key, value);
  }
  const metadata = mapMetadata(old.metadata, fallbackName, notes);
  if (old.spec !== undefined && !isMap(old.spec)) notes.notMapped('spec', old.spec, 'not a map');
  const s = isMap(old.spec) ? old.spec : {};
  const spec: NewSpec = {};
  const runtime = s.runtime === undefined ? undefined : mapRuntime(s.runtime, notes);
  if (runtime) spec.runtime = runtime;
  const command = s.command === undefined ? undefined : mapCommand(s.command, notes);
  // The old tool was built for Claude Code: without a command, the agent is a Claude session.
  if (command && s.model === undefined && s.claude === undefined) spec.command = command;
  else {
    if (command) notes.notMapped('spec.command', s.command, 'the claude preset wins over a command');
    spec.claude = mapClaude(s.model, s.claude, notes);
  }
  if (s.workdir !== undefined) assign(spec, 'workdir', mapWorkdir(s.workdir, notes));
  if (s.env !== undefined) assign(spec, 'env', mapEnv(s.env, notes));
  if (s.restart !== undefined) Object.assign(spec, mapRestart(s.restart, notes));
  if (s.health !== undefined) assign(spec, 'healthCheck', mapHealth(s.health, notes));
  if (s.hooks !== undefined) assign(spec, 'hooks', mapHooks(s.hooks, notes));
  if (s.slurm !== undefined) assign(spec, 'slurm', mapSlurm(s.slurm, notes));
  if (s.screen !== undefined) noteScreen(s.screen, metadata.name, notes);
  for (const [key, value] of Object.entries(s)) if (!HANDLED.has(key)) notes.notMapped(child('spec', key), value);
  return { value: { apiVersion: 'agentctl/v1', kind: 'Agent', metadata, spec: ordered(spec) }, notes };
}

function assign<K extends keyof NewSpec>(spec: NewSpec, key: K, value: NewSpec[K] | undefined): void {
  if (value !== undefined) spec[key] = value;
}

const ORDER: (keyof NewSpec)[] = ['runtime', 'command', 'claude', 'workdir', 'env', 'restartPolicy', 'backoff', 'healthCheck', 'hooks', 'slurm'];

function ordered(spec: NewSpec): NewSpec {
  const out: NewSpec = {};
  for (const k of ORDER) if (spec[k] !== undefined) Object.assign(out, { [k]: spec[k] });
  return out;
}
