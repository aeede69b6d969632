// Lists the spec files of a folder: recursive, *.yaml/*.yml, symlinks followed only inside the folder.
//
// An entry that looks like a spec but cannot be used (a symlink leading out of the folder or
// nowhere, a FIFO or device named *.yaml, a folder that cannot be read) is listed with its
// `problem`: it becomes an invalid spec file, never a silently missing one, because a missing
// file would look like a deleted spec and let its agents be pruned.
import { statSync, type Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { kindOf } from '../util/bounded-read.js';

export interface SpecFileRef {
  /** Path under the folder as the user named it: what errors and status show. */
  shown: string;
  /** Resolved path under the resolved folder: what is read, so that one load sees one revision
   * even while git-sync swaps the folder's symlink. */
  real: string;
  /** Why this entry cannot be read as a spec file; set, it is reported as the file's error. */
  problem?: string;
}

export interface SpecFolderListing {
  /** The folder as resolved now (after following a swapped symlink). */
  root: string;
  exists: boolean;
  /** Agent spec files, including unusable ones (with a `problem`). */
  files: SpecFileRef[];
  defaults?: SpecFileRef;
  /** Overlay files by host, then by agent name. */
  overlays: Map<string, Map<string, SpecFileRef>>;
  /** Overlay folders that cannot be used, by host ('' for `_overlays` itself): every agent of
   * that host depends on them. */
  overlayProblems: Map<string, SpecFileRef>;
}

const YAML_FILE = /\.ya?ml$/;
const hidden = (name: string): boolean => name.startsWith('_') || name.startsWith('.');
const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? 'error';

type Resolved = { kind: 'file' | 'dir' | 'other'; real: string; problem?: string };

type Kinds = Pick<
  Dirent,
  'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'
>;

/** Follows `path` (an entry of a folder under `root`) if it is a symlink, keeping it inside the
 * folder, and says what it is. Never opens it. `entry`, from a listing, saves an lstat. */
async function resolveEntry(root: string, path: string, entry?: Kinds): Promise<Resolved | undefined> {
  const inside = (p: string): boolean => p === root || p.startsWith(root + sep);
  let l: Kinds;
  try {
    l = entry ?? (await lstat(path));
  } catch {
    return undefined; // gone since the listing
  }
  let s: Kinds = l;
  let real = path;
  if (l.isSymbolicLink()) {
    try {
      real = await realpath(path);
    } catch {
      return { kind: 'other', real: path, problem: 'symlink target is missing' };
    }
    try {
      s = await stat(real);
    } catch (err) {
      return { kind: 'other', real, problem: `cannot read: ${code(err)}` };
    }
    if (!inside(real)) {
      return {
        kind: s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other',
        real,
        problem: `symlink leads outside the specs folder (to ${real})`,
      };
    }
  }
  if (s.isDirectory()) return { kind: 'dir', real };
  if (s.isFile()) return { kind: 'file', real };
  return { kind: 'other', real, problem: `not a regular file (${kindOf(s)})` };
}

export async function listSpecFolder(dir: string): Promise<SpecFolderListing> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    return { root: dir, exists: false, files: [], overlays: new Map(), overlayProblems: new Map() };
  }
  const files: SpecFileRef[] = [];
  const visited = new Set<string>([root]);

  const walk = async (realDir: string, shownDir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = (await readdir(realDir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch (err) {
      files.push({ shown: shownDir, real: realDir, problem: `cannot read folder: ${code(err)}` });
      return;
    }
    for (const e of entries) {
      const name = e.name;
      if (hidden(name)) continue;
      const shown = join(shownDir, name);
      // Dirent kinds are "unknown" on some filesystems: then ask lstat.
      const known =
        e.isFile() ||
        e.isDirectory() ||
        e.isSymbolicLink() ||
        e.isFIFO() ||
        e.isCharacterDevice() ||
        e.isBlockDevice() ||
        e.isSocket();
      const r = await resolveEntry(root, join(realDir, name), known ? e : undefined);
      if (!r) continue;
      const yaml = YAML_FILE.test(name);
      if (r.problem !== undefined) {
        // Only what could hold specs matters: a README symlinked elsewhere is no spec.
        if (yaml || r.kind === 'dir') files.push({ shown, real: r.real, problem: r.problem });
      } else if (r.kind === 'dir') {
        if (visited.has(r.real)) continue;
        visited.add(r.real);
        await walk(r.real, shown);
      } else if (yaml) {
        files.push({ shown, real: r.real });
      }
    }
  };
  await walk(root, dir);

  let defaults: SpecFileRef | undefined;
  for (const name of ['_defaults.yaml', '_defaults.yml']) {
    const r = await resolveEntry(root, join(root, name));
    if (!r) continue;
    const problem = r.problem ?? (r.kind === 'file' ? undefined : `not a regular file (a directory)`);
    defaults = { shown: join(dir, name), real: r.real, ...(problem !== undefined ? { problem } : {}) };
    break;
  }
  const { overlays, overlayProblems } = await listOverlays(root, dir);
  return { root, exists: true, files, ...(defaults ? { defaults } : {}), overlays, overlayProblems };
}

async function listOverlays(
  root: string,
  dir: string,
): Promise<Pick<SpecFolderListing, 'overlays' | 'overlayProblems'>> {
  const overlays = new Map<string, Map<string, SpecFileRef>>();
  const overlayProblems = new Map<string, SpecFileRef>();
  const top = await resolveEntry(root, join(root, '_overlays'));
  if (!top || top.kind === 'file') return { overlays, overlayProblems };
  const problem = (host: string, shown: string, real: string, why: string): void =>
    void overlayProblems.set(host, { shown, real, problem: why });
  if (top.problem !== undefined || top.kind !== 'dir') {
    problem('', join(dir, '_overlays'), top.real, top.problem ?? 'not a folder');
    return { overlays, overlayProblems };
  }
  let hosts: string[];
  try {
    hosts = await readdir(top.real);
  } catch (err) {
    problem('', join(dir, '_overlays'), top.real, `cannot read folder: ${code(err)}`);
    return { overlays, overlayProblems };
  }
  for (const host of hosts) {
    const shownHost = join(dir, '_overlays', host);
    const h = await resolveEntry(root, join(top.real, host));
    if (!h || (h.problem === undefined && h.kind !== 'dir')) continue; // a file beside host folders
    if (h.problem !== undefined) {
      problem(host, shownHost, h.real, h.problem);
      continue;
    }
    let names: string[];
    try {
      names = await readdir(h.real);
    } catch (err) {
      problem(host, shownHost, h.real, `cannot read folder: ${code(err)}`);
      continue;
    }
    const byName = new Map<string, SpecFileRef>();
    for (const f of names.filter((n) => YAML_FILE.test(n))) {
      const r = await resolveEntry(root, join(h.real, f));
      if (!r) continue;
      const why = r.problem ?? (r.kind === 'file' ? undefined : 'not a regular file (a directory)');
      byName.set(f.replace(YAML_FILE, ''), {
        shown: join(shownHost, f),
        real: r.real,
        ...(why !== undefined ? { problem: why } : {}),
      });
    }
    overlays.set(host, byName);
  }
  return { overlays, overlayProblems };
}

/** A cheap fingerprint of the folder's spec files (paths, sizes, mtimes, inodes, problems): when
 * it has not changed, nothing needs to be read again. */
export async function folderSignature(dir: string): Promise<string> {
  const listing = await listSpecFolder(dir);
  if (!listing.exists) return 'missing';
  const refs = [
    ...listing.files,
    ...(listing.defaults ? [listing.defaults] : []),
    ...[...listing.overlays.values()].flatMap((m) => [...m.values()]),
    ...listing.overlayProblems.values(),
  ];
  // One stat per file, synchronously: a thousand promises cost more than the stats themselves,
  // and this runs at every resync of an idle controller.
  const parts = refs.map((r) => {
    if (r.problem !== undefined) return `${r.shown}:${r.problem}`;
    try {
      const s = statSync(r.real);
      return `${r.real}:${s.size}:${s.mtimeMs}:${s.ino}`;
    } catch {
      return `${r.real}:gone`;
    }
  });
  return `${listing.root}\n${parts.join('\n')}`;
}
