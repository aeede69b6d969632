// Path helpers for spec paths: ~ expansion against the controller's $HOME (pure).
import { join } from 'node:path';

export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}
