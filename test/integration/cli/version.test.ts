// agentctl version: package.json's version, the checkout's commit (read without git), and node.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT } from '../../helpers/cli.js';

describe('agentctl version', () => {
  it('prints the version, commit and node, as text and as JSON', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const head = (await execa('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
    const json = await execa('node', [CLI, 'version', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({
      version: pkg.version,
      commit: head,
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
    });
    const text = await execa('node', [CLI, 'version'], { cwd: '/' });
    expect(text.stdout.split('\n')).toEqual([
      `agentctl: ${pkg.version}`,
      `commit:   ${head.slice(0, 12)}`,
      `node:     ${process.version}`,
      `platform: ${process.platform}/${process.arch}`,
    ]);
  });
});
