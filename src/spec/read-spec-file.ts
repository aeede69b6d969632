// Reads one spec file (or _defaults, or an overlay) for the loader: bounded, UTF-8 checked, then parsed.
import { sha256 } from './hash.js';
import { MAX_ENV_FILE_BYTES, MAX_SPEC_FILE_BYTES } from './limits.js';
import type { ParseCache } from './parse-cache.js';
import type { SpecFileRef } from './walk.js';
import { parseYaml, type ParsedFile } from './yaml-source.js';
import { readBounded, readBoundedSync } from '../util/bounded-read.js';
import { expandHome } from '../util/paths.js';
import { firstInvalidUtf8, positionAt } from '../util/utf8.js';

function failed(file: string, message: string, line = 1, col = 1): ParsedFile {
  return { file, documents: [], errors: [{ file, line, col, path: '', message }] };
}

/** The parsed file, or a file-level error (`file:1:1: ...`) that makes it an invalid spec file.
 * With a cache, a file that has not changed since the last load is not read again. */
export function readSpecFile(ref: SpecFileRef, cache?: ParseCache): ParsedFile {
  if (ref.problem !== undefined) return failed(ref.shown, ref.problem);
  if (!cache) return readAndParse(ref).parsed;
  const s = cache.files.stat(ref);
  const known = cache.files.get(ref, s);
  if (known) {
    if (known.key !== undefined) cache.keep(known.key);
    return known.parsed;
  }
  const readAt = BigInt(Date.now()) * 1_000_000n;
  const r = readAndParse(ref, cache);
  cache.files.set(ref, s, r, readAt);
  return r.parsed;
}

function readAndParse(ref: SpecFileRef, cache?: ParseCache): { parsed: ParsedFile; key?: string } {
  let bytes: Buffer;
  try {
    // Synchronous on purpose: for a small file, open+read+close in one go costs a fraction of
    // four thread-pool round trips, and a reload of 1000 specs is dominated by exactly that.
    bytes = readBoundedSync(ref.real, MAX_SPEC_FILE_BYTES);
  } catch (err) {
    return { parsed: failed(ref.shown, (err as Error).message) };
  }
  // Decoding would replace a bad byte with U+FFFD, and the agent would get something no file says.
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const p = positionAt(bytes, bad);
    return {
      parsed: failed(
        ref.shown,
        `invalid UTF-8 (byte 0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')})`,
        p.line,
        p.col,
      ),
    };
  }
  const text = bytes.toString('utf8');
  return cache ? cache.parseKeyed(ref.shown, text) : { parsed: parseYaml(ref.shown, text) };
}

/** sha256 of an env file's content, or null when it cannot be read (reported at start time,
 * for that agent alone: CI runners that validate specs do not hold the secrets). */
export async function envFileDigest(path: string, home: string): Promise<string | null> {
  try {
    return sha256(await readBounded(expandHome(path, home), MAX_ENV_FILE_BYTES));
  } catch {
    return null;
  }
}
