// The last lines of a long-running job's output (pure: the caller reads the file's end).

/** How much of a file's end is read for `logs`: enough for any sane number of lines. */
export const TAIL_BYTES = 512 * 1024;

/** The last `lines` lines of `text`, with a final newline when there is any output. */
export function lastLines(text: string, lines: number): string {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed === '') return '';
  const all = trimmed.split('\n');
  return `${all.slice(Math.max(0, all.length - Math.max(1, lines))).join('\n')}\n`;
}
