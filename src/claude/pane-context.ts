// The context use a Claude Code pane shows, for a binary that runs no hooks and has no transcript to read (pure).
//
// Claude Code prints how much room is left, not how much is used: "Context left until
// auto-compact: 12%" in its status bar, "Context low (8% remaining)" when it is nearly full.
// Used is read as 100 minus that; the first is measured up to the auto-compact point rather than
// the whole window, so near the top it reads a little high, which errs towards acting early.
// Only Claude Code's own wording, and only in its status bar — the lines below the input box's
// closing rule — counts: text an agent prints in its conversation ("Context: 99%") is not a
// figure, and must not roll the agent.

const NUMBER = String.raw`(\d{1,3}(?:\.\d+)?)`;

const PATTERNS: readonly { pattern: RegExp; used(n: number): number }[] = [
  { pattern: new RegExp(String.raw`Context left until auto-compact:\s*${NUMBER}\s*%`, 'gi'), used: (n) => 100 - n },
  { pattern: new RegExp(String.raw`Context low \(\s*${NUMBER}\s*% remaining\)`, 'gi'), used: (n) => 100 - n },
];

/** A horizontal rule of the input box. */
const RULE = /^\s*─{20,}\s*$/;

/** The status bar: what follows the input box (its last rule); nothing when the pane shows none. */
export function statusBarOf(pane: string): string {
  const lines = pane.split('\n');
  let last = -1;
  for (let i = 0; i < lines.length; i++) if (RULE.test(lines[i]!)) last = i;
  return last < 0 ? '' : lines.slice(last + 1).join('\n');
}

/** The percentage used per the last indicator in the status bar, or undefined when it shows none. */
export function paneContextPercent(pane: string): number | undefined {
  const bar = statusBarOf(pane);
  let best: { at: number; used: number } | undefined;
  for (const p of PATTERNS) {
    for (const m of bar.matchAll(p.pattern)) {
      const n = Number(m[1]);
      if (!Number.isFinite(n) || n > 100) continue;
      const at = m.index ?? 0;
      if (best === undefined || at > best.at) best = { at, used: Math.max(0, Math.min(100, p.used(n))) };
    }
  }
  return best?.used;
}
