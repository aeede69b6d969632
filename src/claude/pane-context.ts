// The context use a Claude Code pane shows, for when no transcript can be read (pure).
//
// Claude Code prints how much room is left, not how much is used: "Context left until
// auto-compact: 12%" in its status line, "Context low (8% remaining)" when it is nearly full.
// Used is read as 100 minus that; the first is measured up to the auto-compact point rather than
// the whole window, so near the top it reads a little high, which errs towards acting early.
// Custom status lines that print "42% context used" or "Context: 42%" are read as they say.

interface PanePattern {
  pattern: RegExp;
  used(n: number): number;
}

const NUMBER = String.raw`(\d{1,3}(?:\.\d+)?)`;

const PATTERNS: readonly PanePattern[] = [
  { pattern: new RegExp(String.raw`Context left until auto-compact:\s*${NUMBER}\s*%`, 'gi'), used: (n) => 100 - n },
  { pattern: new RegExp(String.raw`Context low \(\s*${NUMBER}\s*% remaining\)`, 'gi'), used: (n) => 100 - n },
  { pattern: new RegExp(String.raw`${NUMBER}\s*%\s*(?:of\s+)?context used`, 'gi'), used: (n) => n },
  { pattern: new RegExp(String.raw`\bContext(?: used)?:\s*${NUMBER}\s*%`, 'gi'), used: (n) => n },
];

/** The percentage used per the last indicator on the pane (the bottom line is the newest), or
 * undefined when the pane shows none. */
export function paneContextPercent(pane: string): number | undefined {
  let best: { at: number; used: number } | undefined;
  for (const p of PATTERNS) {
    for (const m of pane.matchAll(p.pattern)) {
      const n = Number(m[1]);
      if (!Number.isFinite(n) || n > 100) continue;
      const at = m.index ?? 0;
      if (best === undefined || at > best.at) best = { at, used: Math.max(0, Math.min(100, p.used(n))) };
    }
  }
  return best?.used;
}
