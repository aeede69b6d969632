// Loads a specs folder from disk: walk, then (only when there is something to read) parse and assemble.
import type { AssembledHost } from './assemble-hosts.js';
import type { SpecError } from './errors.js';
import type { AgentDocument, AgentSpec } from './schema.js';
import { listSpecFolder } from './walk.js';
import type { ParseCache } from './parse-cache.js';

export interface DesiredAgent {
  name: string;
  file: string;
  line: number;
  document: AgentDocument;
  spec: AgentSpec;
  hash: string;
  /** Set when this controller drives the agent over SSH: the name of the Host (in
   * `SpecSet.hosts`, with `ssh`) whose machine the agent runs on. Unset: it runs here. */
  remoteHost?: string;
}

export interface SpecSet {
  specsDir: string;
  exists: boolean;
  fileCount: number;
  /** Valid agents this controller drives: placed on this host, or on a Host it reaches over SSH
   * (those carry `remoteHost`). */
  agents: Map<string, DesiredAgent>;
  /** Valid agents placed on another host that this controller does not drive: name → host. */
  elsewhere: Map<string, string>;
  /** Valid `kind: Host` documents by name (DESIGN §9.1). */
  hosts: Map<string, AssembledHost>;
  errors: SpecError[];
  invalidFiles: Set<string>;
  /** Agents that keep their last applied state: named in an isolated file, or placed on a Host
   * whose document is isolated (name → the file to fix). */
  invalidNames: Map<string, string>;
}

export interface LoadOptions {
  specsDir: string;
  host: string;
  home: string;
  /** Parsed files by content, kept across loads. */
  cache?: ParseCache;
}

export async function loadSpecs(opts: LoadOptions): Promise<SpecSet> {
  const listing = await listSpecFolder(opts.specsDir);
  const empty =
    listing.files.length === 0 &&
    !listing.defaults &&
    listing.overlays.size === 0 &&
    listing.overlayProblems.size === 0;
  if (empty) {
    return {
      specsDir: opts.specsDir,
      exists: listing.exists,
      fileCount: 0,
      agents: new Map(),
      elsewhere: new Map(),
      hosts: new Map(),
      errors: [],
      invalidFiles: new Set(),
      invalidNames: new Map(),
    };
  }
  // The parser, the schema (zod) and the assembler cost more to load than everything else a
  // command needs: a folder with nothing to read never loads them.
  const { loadListing } = await import('./load-files.js');
  return loadListing(opts, listing);
}

/** sha256 of an env file's content, or null when it cannot be read. */
export async function envFileDigest(path: string, home: string): Promise<string | null> {
  return (await import('./read-spec-file.js')).envFileDigest(path, home);
}
