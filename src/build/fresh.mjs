// Build freshness for `npm run build`: `check` exits 0 when dist/ was built from exactly these sources, `write` records them.
//
// Why: `npx agentctl` in a checkout installs the folder into npx's cache, and npm runs the
// `prepare` script (the build) on every such install. A full tsc is ~25 s of CPU; with this check
// the first `npx agentctl` after `npm ci` costs what starting agentctl costs. Plain JavaScript
// because it runs before tsc. The fingerprint is every input's path, size and mtime, so any edit,
// checkout or `npm ci` (package-lock.json) builds again; a dist/ without its entry point does too.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.build-stamp';
const ENTRY = 'dist/src/cli/main.js';
const TREES = ['src', 'controllers', 'test'];
const FILES = ['tsconfig.json', 'package.json', 'package-lock.json', 'node_modules/typescript/package.json'];

/** Every file under `dir` (sorted, so the fingerprint does not depend on readdir's order). */
function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function fingerprint() {
  const h = createHash('sha256');
  const paths = [...TREES.flatMap((t) => (existsSync(t) ? walk(t, []) : [])), ...FILES.filter((f) => existsSync(f))];
  for (const p of paths) {
    const s = statSync(p);
    h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest('hex');
}

const mode = process.argv[2];
if (mode === 'check') {
  const fresh = existsSync(ENTRY) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === fingerprint();
  if (fresh) console.error('dist/ is up to date with the sources: not built again');
  process.exit(fresh ? 0 : 1);
} else if (mode === 'write') {
  writeFileSync(STAMP, `${fingerprint()}\n`);
} else {
  console.error('usage: node src/build/fresh.mjs check|write');
  process.exit(2);
}
