// Watches folders for files being written (chokidar), calling back with each file's name.
import { watch, type FSWatcher } from 'chokidar';
import { basename } from 'node:path';

export interface FolderWatch {
  close(): Promise<void>;
}

/** Calls `onFile(folder, name)` for every file added or changed in `folders` (created if need be
 * by the caller) whose name `wanted` accepts; resolves once the watcher is ready. Files it does
 * not want are not watched at all: chokidar keeps a watcher and stats for every file it follows,
 * and a run folder holds a launch file per agent (measured: following them cost each recreate
 * at 1000 agents tens of milliseconds). */
export async function watchFolders(
  folders: readonly string[],
  onFile: (name: string, path: string) => void,
  wanted: (name: string) => boolean = () => true,
): Promise<FolderWatch> {
  const w: FSWatcher = watch([...folders], {
    ignoreInitial: true,
    depth: 2,
    ignored: (path, stats) => stats?.isFile() === true && !wanted(basename(path)),
  });
  const handler = (path: string): void => onFile(basename(path), path);
  w.on('add', handler);
  w.on('change', handler);
  await new Promise<void>((res) => w.once('ready', () => res()));
  return { close: () => w.close() };
}
