// The PATH a service unit gives its agents: the installing shell's, without what npm or npx put
// there for the one command that ran install-service (pure).

/** Entries npm exec / npx / npm run add for a single command: npx's cache
 * (`~/.npm/_npx/<hash>/node_modules/.bin`), npm's `node-gyp-bin`, and every `node_modules/.bin`
 * of the folder it ran in and its parents. Inherited by every agent, they would point at a
 * temporary folder (or at one checkout's tools) for as long as the service runs. */
export function isCommandScopedEntry(entry: string): boolean {
  const e = entry.replace(/\/+$/, '');
  return /\/_npx(\/|$)/.test(e) || /(^|\/)node-gyp-bin$/.test(e) || /(^|\/)node_modules\/\.bin$/.test(e);
}

/** PATH without npm's command-scoped entries, empty entries and repeats (the first one wins). */
export function servicePath(path: string): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const entry of path.split(':')) {
    if (entry === '' || isCommandScopedEntry(entry) || seen.has(entry)) continue;
    seen.add(entry);
    kept.push(entry);
  }
  return kept.join(':');
}
