// Effective documents and spec hashes from earlier loads, reused while their inputs are the very
// same objects (pure). A spec file that has not changed keeps its parsed value object (see
// file-memo.ts), so a reload validates and hashes only the agents whose layers changed.
import type { AgentDocument, AgentSpec } from './schema.js';

interface Known {
  defaults: unknown;
  overlay: unknown;
  document: AgentDocument;
}

export class DocumentMemo {
  private readonly documents = new WeakMap<object, Known>();
  private readonly hashes = new WeakMap<AgentSpec, { digests: string; hash: string }>();

  /** The document assembled before from exactly these layer values (by identity), if any. */
  document(defaults: unknown, source: unknown, overlay: unknown): AgentDocument | undefined {
    if (source === null || typeof source !== 'object') return undefined;
    const k = this.documents.get(source);
    return k && k.defaults === defaults && k.overlay === overlay ? k.document : undefined;
  }

  rememberDocument(defaults: unknown, source: unknown, overlay: unknown, document: AgentDocument): void {
    if (source !== null && typeof source === 'object') this.documents.set(source, { defaults, overlay, document });
  }

  /** The spec's hash with these env file digests, computed once per spec object. */
  hash(spec: AgentSpec, digests: readonly (string | null)[], compute: () => string): string {
    const key = digests.join(',');
    const k = this.hashes.get(spec);
    if (k && k.digests === key) return k.hash;
    const hash = compute();
    this.hashes.set(spec, { digests: key, hash });
    return hash;
  }
}
