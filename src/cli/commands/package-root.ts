// Finds agentctl's own folder (package.json, deploy/) from wherever this module runs: src/ or dist/src/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  root: string;
  name: string;
  version: string;
}

export function packageInfo(from = dirname(fileURLToPath(import.meta.url))): PackageInfo {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'agentctl') return { root: dir, name: pkg.name, version: pkg.version ?? '0.0.0' };
    }
    if (dirname(dir) === dir) throw new Error(`agentctl's package.json not found above ${from}`);
  }
}
