// The compiled server (dist/, as `npm ci` builds it in a fresh clone) finds and serves the page's files.
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli.js';
import { removeTree } from '../../helpers/remove-tree.js';

let dir: string | undefined;
afterEach(() => dir && removeTree(dir));

describe('compiled fleet server', () => {
  it('serves every page file from dist/ without a copy step', async () => {
    dir = mkdtempSync(join(tmpdir(), 'agentctl-dist-'));
    const script = join(dir, 'check.mjs');
    writeFileSync(
      script,
      `import { startHttpServer } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'http', 'server.js'))};
const src = { items: () => [], item: () => undefined, detail: () => undefined, subscribe: () => () => {}, logs: async () => '',
  secrets: async () => [], metrics: async () => ({ contentType: 'text/plain', body: '' }), healthy: () => true, ready: () => true };
const s = await startHttpServer({ addr: '0', source: src });
const out = {};
for (const p of ['/', '/app.js', '/detail.js', '/format.js', '/style.css']) out[p] = (await fetch(s.url + p)).status;
await s.close();
console.log(JSON.stringify(out));
`,
    );
    const r = await execa('node', [script], { cwd: dir });
    expect(JSON.parse(r.stdout)).toEqual({
      '/': 200,
      '/app.js': 200,
      '/detail.js': 200,
      '/format.js': 200,
      '/style.css': 200,
    });
  });
});
