// Watches folders for files being written (chokidar), calling back with each file's name.
import { watch, type FSWatcher } from 'chokidar';
import { basename } from 'node:path';

export interface FolderWatch {
  close(): Promise<void>;
}

/** Calls `onFile(folder, name)` for every file added or changed in `folders` (created if need be
 * by the caller); resolves once the watcher is ready. */
export async function watchFolders(folders: readonly string[], onFile: (name: string, path: string) => void): Promise<FolderWatch> {
  const w: FSWatcher = watch([...folders], { ignoreInitial: true, depth: 2 });
  const handler = (path: string): void => onFile(basename(path), path);
  w.on('add', handler);
  w.on('change', handler);
  await new Promise<void>((res) => w.once('ready', () => res()));
  return { close: () => w.close() };
}
