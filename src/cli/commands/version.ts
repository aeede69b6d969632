// agentctl version: agentctl's version, the commit of a checkout, and the node that runs it.
import { gitCommit } from './git-commit.js';
import { packageInfo } from './package-root.js';

export interface VersionInfo {
  version: string;
  commit: string | null;
  node: string;
  platform: string;
}

export async function versionInfo(): Promise<VersionInfo> {
  const pkg = packageInfo();
  return {
    version: pkg.version,
    commit: await gitCommit(pkg.root),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

export async function version(opts: Record<string, unknown>): Promise<void> {
  const v = await versionInfo();
  if (opts.output === 'json') {
    process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
    return;
  }
  const rows: [string, string][] = [
    ['agentctl', v.version],
    ['commit', v.commit ? v.commit.slice(0, 12) : '-'],
    ['node', v.node],
    ['platform', v.platform],
  ];
  process.stdout.write(rows.map(([k, val]) => `${`${k}:`.padEnd(10)}${val}\n`).join(''));
}
