// Where the bench finds the compiled CLI and keeps its cache and results (.bench/, git-ignored).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/** The checkout: the bench runs compiled from dist/test/bench/, so it looks for package.json. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** Run as users run it: executed through its shebang (as npm's bin link does), so the node flags
 * it carries apply; `npm run build` marks it executable. */
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const BENCH_DIR = resolve(ROOT, '.bench');
