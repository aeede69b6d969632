// Lists the spec files of a folder: recursive, *.yaml/*.yml, symlinks followed only inside the folder.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

export interface SpecFileRef {
  /** Path under the folder as the user named it: what errors and status show. */
  shown: string;
  /** Resolved path under the resolved folder: what is read, so that one load sees one revision
   * even while git-sync swaps the folder's symlink. */
  real: string;
}

export interface SpecFolderListing {
  /** The folder as resolved now (after following a swapped symlink). */
  root: string;
  exists: boolean;
  /** Agent spec files. */
  files: SpecFileRef[];
  defaults?: SpecFileRef;
  /** Overlay files by host, then by agent name. */
  overlays: Map<string, Map<string, SpecFileRef>>;
}

const YAML_FILE = /\.ya?ml$/;
const hidden = (name: string): boolean => name.startsWith('_') || name.startsWith('.');

export async function listSpecFolder(dir: string): Promise<SpecFolderListing> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    return { root: dir, exists: false, files: [], overlays: new Map() };
  }
  const files: SpecFileRef[] = [];
  const visited = new Set<string>([root]);
  const inside = (p: string): boolean => p === root || p.startsWith(root + sep);

  const walk = async (realDir: string, shownDir: string): Promise<void> => {
    const entries = await readdir(realDir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (hidden(e.name)) continue;
      const shown = join(shownDir, e.name);
      let real = join(realDir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          real = await realpath(real);
          if (!inside(real)) continue;
          const s = await stat(real);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (visited.has(real)) continue;
        visited.add(real);
        await walk(real, shown);
      } else if (isFile && YAML_FILE.test(e.name)) {
        files.push({ shown, real });
      }
    }
  };
  await walk(root, dir);

  const overlays = new Map<string, Map<string, SpecFileRef>>();
  try {
    for (const host of await readdir(join(root, '_overlays'), { withFileTypes: true })) {
      if (!host.isDirectory() && !host.isSymbolicLink()) continue;
      const byName = new Map<string, SpecFileRef>();
      for (const f of await readdir(join(root, '_overlays', host.name))) {
        if (YAML_FILE.test(f)) byName.set(f.replace(YAML_FILE, ''), { shown: join(dir, '_overlays', host.name, f), real: join(root, '_overlays', host.name, f) });
      }
      overlays.set(host.name, byName);
    }
  } catch {
    /* no overlays */
  }
  let defaults: SpecFileRef | undefined;
  for (const name of ['_defaults.yaml', '_defaults.yml']) {
    try {
      if ((await stat(join(root, name))).isFile()) {
        defaults = { shown: join(dir, name), real: join(root, name) };
        break;
      }
    } catch {
      /* absent */
    }
  }
  return { root, exists: true, files, ...(defaults ? { defaults } : {}), overlays };
}

/** A cheap fingerprint of the folder's spec files (paths, sizes, mtimes, inodes): when it has not
 * changed, nothing needs to be read again. */
export async function folderSignature(dir: string): Promise<string> {
  const listing = await listSpecFolder(dir);
  if (!listing.exists) return 'missing';
  const refs = [...listing.files, ...(listing.defaults ? [listing.defaults] : []), ...[...listing.overlays.values()].flatMap((m) => [...m.values()])];
  const parts = await Promise.all(
    refs.map(async (r) => {
      try {
        const s = await stat(r.real);
        return `${r.real}:${s.size}:${s.mtimeMs}:${s.ino}`;
      } catch {
        return `${r.real}:gone`;
      }
    }),
  );
  return `${listing.root}\n${parts.join('\n')}`;
}
