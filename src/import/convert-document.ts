// Converts one document of the old format (a plain value) into an agentctl/v1 Agent and its notes.
import type { BackoffSpec, RestartPolicy, RuntimeName, SlurmSpec } from '../spec/schema.js';
import { mapClaude, type NewClaude } from './map-claude.js';
import { mapContext } from './map-context.js';
import { mapExtensions, mapListen, type NewListen } from './map-extensions.js';
import { mapHealth, type NewHealthCheck } from './map-health.js';
import { mapHooks, type NewHooks } from './map-hooks.js';
import { mapMetadata, type NewMetadata } from './map-metadata.js';
import { mapCommand, mapEnv, mapEnvFiles, mapWorkdir } from './map-process.js';
import { mapPlacement, mapRemote } from './map-remote.js';
import { defaultRestart, mapRestart } from './map-restart.js';
import { mapMultiplexer, mapRuntime, noteScreen } from './map-runtime.js';
import { mapSlurm } from './map-slurm.js';
import { mapStartup, type NewStartup } from './map-startup.js';
import { Notes } from './notes.js';
import type { OldApiVersion } from './old-format.js';
import { child, isMap, type OldMap } from './values.js';

/** Field order follows DESIGN §2, so converted specs read like hand-written ones. */
export interface NewSpec {
  runtime?: RuntimeName;
  command?: string[];
  claude?: NewClaude;
  startup?: NewStartup;
  workdir?: string;
  env?: Record<string, string | number | boolean>;
  envFiles?: string[];
  restartPolicy?: RestartPolicy;
  backoff?: Partial<BackoffSpec>;
  healthCheck?: NewHealthCheck;
  hooks?: NewHooks;
  host?: string;
  slurm?: SlurmSpec;
  listen?: NewListen[];
  extensions?: Record<string, unknown>;
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

export interface DocumentSource {
  /** The input's file name (no folders), shown in the import mark. */
  file: string;
  /** The agent's name when metadata.name is missing (v3 takes it from the spec's folder). */
  fallbackName: string;
  fallbackFrom: 'file' | 'folder';
  apiVersion: OldApiVersion;
}

/** Keys of the old spec the mappers read. */
const HANDLED = new Set([
  ...[
    'runtime',
    'multiplexer',
    'command',
    'model',
    'session',
    'claude',
    'workdir',
    'env',
    'env-file',
    'restart',
    'health',
    'hooks',
  ],
  ...[
    'slurm',
    'screen',
    'remote',
    'host',
    'hosts',
    'startup',
    'startup_commands',
    'startup_prompts',
    'context_management',
  ],
  ...['listen', 'extensions', 'a2a-card', 'a2a'],
]);

/** Known keys of the older tool that have no place in agentctl, and what to do instead. */
const NO_PLACE: Record<string, string> = {
  container: 'agentctl runs agents on the host, not in a container',
  apptainer: 'agentctl runs agents on the host, not in a container',
  image: 'agentctl runs agents on the host, not in a container',
  dockerfile: 'agentctl runs agents on the host, not in a container',
  'python-venv': 'activate it in spec.command, or put its bin/ first on PATH in spec.env',
  venv: 'activate it in spec.command, or put its bin/ first on PATH in spec.env',
  mcp_servers: 'write the .mcp.json with spec.files',
  skills: 'write them into CLAUDE.md with spec.files',
  telegram: 'a channel plugin in spec.claude.channels',
  watchdog: 'spec.claude.autoAccept answers the start-up prompts',
  scheduling: 'spec.host places an agent',
};

export function convertDocument(old: OldMap, source: DocumentSource): ConvertedDocument {
  const notes = new Notes();
  for (const [key, value] of Object.entries(old)) {
    if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata' && key !== 'spec') notes.notMapped(key, value);
  }
  const metadata = mapMetadata(old.metadata, source.fallbackName, notes, source.fallbackFrom);
  if (old.spec !== undefined && !isMap(old.spec)) notes.notMapped('spec', old.spec, 'not a map');
  const s = isMap(old.spec) ? old.spec : {};
  const spec: NewSpec = {};
  const choice = mapRuntime(s.runtime, notes);
  if (choice.runtime) spec.runtime = choice.runtime;
  mapMultiplexer(s.multiplexer, notes);
  mapProgram(s, choice.otherProgram, spec, notes);
  if (choice.note) notes.add(choice.note, ['spec', spec.command ? 'command' : 'claude']);
  const started = mapStartup(s, source.apiVersion, choice.sdk === true, notes);
  if (started.startup) spec.startup = started.startup;
  if (s.workdir !== undefined) assign(spec, 'workdir', mapWorkdir(s.workdir, notes));
  if (s.env !== undefined) assign(spec, 'env', mapEnv(s.env, notes));
  if (s['env-file'] !== undefined) assign(spec, 'envFiles', mapEnvFiles(s['env-file'], spec.workdir, notes));
  Object.assign(spec, s.restart === undefined ? defaultRestart(notes) : mapRestart(s.restart, notes));
  if (s.health !== undefined) assign(spec, 'healthCheck', mapHealth(s.health, notes));
  const hooks = s.hooks === undefined ? undefined : mapHooks(s.hooks, notes);
  // v3 startup_commands ran after the pre_start hooks, just before the agent.
  if (started.preStart?.length)
    assign(spec, 'hooks', orderedHooks({ ...hooks, preStart: [...(hooks?.preStart ?? []), ...started.preStart] }));
  else assign(spec, 'hooks', hooks && orderedHooks(hooks));
  mapPlace(s, spec, notes);
  if (s.slurm !== undefined) {
    if (spec.runtime === 'slurm') assign(spec, 'slurm', mapSlurm(s.slurm, notes));
    else notes.notMapped('spec.slurm', s.slurm, 'only the slurm runtime used it');
  }
  if (s.listen !== undefined) assign(spec, 'listen', mapListen(s.listen, notes));
  spec.extensions = mapExtensions(s, source, notes);
  if (s.screen !== undefined) noteScreen(s.screen, metadata.name, notes);
  for (const [key, value] of Object.entries(s)) {
    if (HANDLED.has(key) || (key === 'container' && noContainer(value))) continue;
    notes.notMapped(child('spec', key), value, NO_PLACE[key]);
  }
  return { value: { apiVersion: 'agentctl/v1', kind: 'Agent', metadata, spec: ordered(spec) }, notes };
}

/** A plain command, or (the older tool's purpose) Claude Code with its settings. */
function mapProgram(s: OldMap, otherProgram: string | undefined, spec: NewSpec, notes: Notes): void {
  const command = s.command === undefined ? undefined : mapCommand(s.command, notes);
  const claudeish = s.model !== undefined || s.claude !== undefined || s.session !== undefined;
  if (command && !claudeish) {
    spec.command = command;
    if (s.context_management !== undefined)
      notes.notMapped('spec.context_management', s.context_management, 'only for Claude Code agents');
    return;
  }
  if (command) notes.notMapped('spec.command', s.command, 'the claude preset wins over a command');
  if (otherProgram)
    notes.add(
      `runtime ${otherProgram} has no agentctl preset: this spec runs Claude Code; write spec.command to run ${otherProgram}`,
      ['spec', 'claude'],
    );
  spec.claude = mapClaude(s, notes);
  const context = s.context_management === undefined ? undefined : mapContext(s.context_management, notes);
  if (context) spec.claude.context = context;
}

/** v1/v2 spec.remote (SSH) or v3 spec.host (placement). */
function mapPlace(s: OldMap, spec: NewSpec, notes: Notes): void {
  const remote = s.remote === undefined ? undefined : mapRemote(s.remote, notes);
  const placed = s.host === undefined && s.hosts === undefined ? undefined : mapPlacement(s.host, s.hosts, notes);
  if (remote && placed && remote !== placed) notes.notMapped('spec.host', s.host, `spec.remote ${remote} wins`);
  assign(spec, 'host', remote ?? placed);
}

/** `container: {runtime: none}` (the v1/v2 default written out) asked for no container. */
function noContainer(v: unknown): boolean {
  return (
    isMap(v) &&
    (v.runtime === undefined || v.runtime === 'none') &&
    v.image === undefined &&
    (v.volumes === undefined || (Array.isArray(v.volumes) && v.volumes.length === 0))
  );
}

const HOOK_ORDER = ['preStart', 'postStart', 'preStop', 'postStop', 'onCompact', 'onRestart'] as const;

function orderedHooks(h: NewHooks): NewHooks {
  const out: NewHooks = {};
  for (const k of HOOK_ORDER) if (h[k] !== undefined) out[k] = h[k];
  return out;
}

function assign<K extends keyof NewSpec>(spec: NewSpec, key: K, value: NewSpec[K] | undefined): void {
  if (value !== undefined) spec[key] = value;
}

const ORDER: (keyof NewSpec)[] = [
  ...(['runtime', 'command', 'claude', 'startup', 'workdir', 'env', 'envFiles', 'restartPolicy', 'backoff'] as const),
  ...(['healthCheck', 'hooks', 'host', 'slurm', 'listen', 'extensions'] as const),
];

function ordered(spec: NewSpec): NewSpec {
  const out: NewSpec = {};
  for (const k of ORDER) if (spec[k] !== undefined) Object.assign(out, { [k]: spec[k] });
  return out;
}
