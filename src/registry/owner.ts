// The owner mark a controller puts on what it starts: host plus a digest of its state dir.
import { sha256 } from '../spec/hash.js';

export function ownerId(host: string, stateDir: string): string {
  return `${host}:${sha256(stateDir).slice(0, 10)}`;
}
