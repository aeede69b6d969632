// How far a follower (`logs -f`) has read an agent's output: a pane row for tmux, a byte offset for files.

/** A tmux pane: rows are counted from the top of its history (row `history_size + y` is screen
 * row y). Every row before `row` has been read. `lastRow` is the text of the row just before it,
 * to check that nothing shifted under the count (history trimmed or cleared). */
export interface PaneCursor {
  kind: 'pane';
  pane: string;
  row: number;
  historySize: number;
  /** tmux trims a tenth of this when the history is full (10,000 unless set otherwise). */
  historyLimit?: number;
  lastRow: string | null;
}

/** An output file (Slurm): every byte before `offset` of `path` has been read. */
export interface FileCursor {
  kind: 'file';
  path: string;
  offset: number;
}

export type LogCursor = PaneCursor | FileCursor;

export interface LogRead {
  /** Complete lines, oldest first (a line still being written waits for its end). */
  lines: string[];
  /** Where each line starts: its row (tmux: counted from the history's top, as the cursor's
   * row) or its byte offset (a file). */
  positions?: number[];
  cursor: LogCursor;
  /** Output that could not be read in order (history cleared, or more than a read holds) was
   * skipped rather than shown twice. */
  skipped?: boolean;
}
