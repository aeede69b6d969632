// The targets (issue 16) and their verdicts: each figure next to its target, pass or miss.

export interface Verdict {
  id: string;
  figure: string;
  target: string;
  measured: string;
  pass: boolean;
}

export class Verdicts {
  readonly all: Verdict[] = [];

  /** Records a verdict (a NaN figure, i.e. not measured, is a miss). */
  check(id: string, figure: string, target: string, measured: string, pass: boolean): Verdict {
    const v = { id, figure, target, measured, pass };
    this.all.push(v);
    return v;
  }
}

export const mark = (pass: boolean): string => (pass ? 'pass' : 'MISS');
