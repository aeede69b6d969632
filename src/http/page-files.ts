// The fleet page's files (plain HTML, CSS and JS, no build step), read once when the server starts.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface PageFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

const FILES: Record<string, [file: string, contentType: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/detail.js': ['detail.js', 'text/javascript; charset=utf-8'],
  '/format.js': ['format.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/** Beside this module when run from the sources (tests); the compiled module in dist/src/http
 * reads the same files from the checkout's src/http/page, so a fresh clone needs no copy step. */
export function pageDir(): string {
  const candidates = [new URL('./page/', import.meta.url), new URL('../../../src/http/page/', import.meta.url)].map(
    (u) => fileURLToPath(u),
  );
  const found = candidates.find((d) => existsSync(`${d}index.html`));
  if (!found) throw new Error(`the fleet page's files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

export async function loadPage(dir = pageDir()): Promise<Map<string, PageFile>> {
  const out = new Map<string, PageFile>();
  for (const [path, [file, contentType]] of Object.entries(FILES)) {
    const body = await readFile(`${dir}${file}`);
    out.set(path, { body, contentType, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"` });
  }
  return out;
}
