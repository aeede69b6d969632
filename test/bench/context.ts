// What every section gets: options, the cleanup stack, the verdicts, and a place for its figures.
import type { Cleanup } from './cleanup.js';
import type { BenchOptions } from './options.js';
import type { Verdicts } from './targets.js';

export interface BenchContext {
  opts: BenchOptions;
  cleanup: Cleanup;
  verdicts: Verdicts;
  /** Figures per section, written to the JSON results as they are. */
  results: Record<string, unknown>;
}
