// Parses and assembles the files of a listed specs folder: the part of loading that needs the parser and zod.
import { assemble } from './assemble.js';
import { placement } from './assemble-hosts.js';
import { specHash } from './hash.js';
import type { SpecFileRef, SpecFolderListing } from './walk.js';
import { envFileDigest, readSpecFile } from './read-spec-file.js';
import type { DesiredAgent, LoadOptions, SpecSet } from './load.js';
import { mapLimit } from '../util/map-limit.js';

export async function loadListing(opts: LoadOptions, listing: SpecFolderListing): Promise<SpecSet> {
  const hostOverlays = listing.overlays.get(opts.host) ?? new Map<string, SpecFileRef>();
  // Bounded: parsing 10,000 files all at once would hold every file's parse garbage at the same
  // moment (RSS several times the live heap).
  const files = await mapLimit(listing.files, 32, async (ref) => readSpecFile(ref, opts.cache));
  const defaults = listing.defaults ? readSpecFile(listing.defaults, opts.cache) : undefined;
  const overlayList = [...hostOverlays].map(([name, ref]) => [name, readSpecFile(ref, opts.cache)] as const);
  opts.cache?.sweep();
  // An overlay folder of this host that cannot be read: every agent here depends on it.
  const shared = ['', opts.host].flatMap((h) => {
    const ref = listing.overlayProblems.get(h);
    return ref ? [readSpecFile(ref)] : [];
  });
  const memo = opts.cache?.documents;
  const result = assemble({
    files,
    ...(defaults ? { defaults } : {}),
    overlays: new Map(overlayList),
    shared,
    ...(memo ? { memo } : {}),
  });

  const digestCache = new Map<string, Promise<string | null>>();
  const digest = (p: string): Promise<string | null> => {
    let d = digestCache.get(p);
    if (!d) digestCache.set(p, (d = envFileDigest(p, opts.home)));
    return d;
  };
  const agents = new Map<string, DesiredAgent>();
  const elsewhere = new Map<string, string>();
  const invalidNames = new Map(result.invalidNames);
  await Promise.all(
    [...result.agents.values()].map(async (a) => {
      const spec = a.document.spec;
      // `hosts` places on its first Host for now: reachability, cordons and failover are not weighed yet.
      const place = placement(spec.host ?? spec.hosts?.[0], opts.host, result.hosts, result.invalidHosts);
      if (place.kind === 'elsewhere') return void elsewhere.set(a.name, place.host);
      if (place.kind === 'isolated') return void invalidNames.set(a.name, place.file);
      const digests = await Promise.all(spec.envFiles.map(digest));
      const remote = place.kind === 'remote' ? { remoteHost: place.host } : {};
      const hash = memo ? memo.hash(spec, digests, () => specHash(spec, digests)) : specHash(spec, digests);
      agents.set(a.name, { name: a.name, file: a.file, line: a.line, document: a.document, spec, hash, ...remote });
    }),
  );
  return {
    specsDir: opts.specsDir,
    exists: listing.exists,
    fileCount: listing.files.length,
    agents: new Map([...agents].sort(([a], [b]) => (a < b ? -1 : 1))),
    elsewhere,
    hosts: new Map([...result.hosts].sort(([a], [b]) => (a < b ? -1 : 1))),
    errors: result.errors,
    invalidFiles: result.invalidFiles,
    invalidNames,
  };
}
