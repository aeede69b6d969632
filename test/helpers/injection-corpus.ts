// Hostile strings for quoting and injection tests: each must arrive as one literal word, run nothing.

/** Words that would run something, split, expand or vanish if a shell saw them unquoted. The
 * placeholder CANARY is replaced by a path whose creation would prove an injection. */
export const INJECTION_CORPUS: readonly string[] = [
  '',
  ' ',
  'plain',
  "it's",
  "'",
  "''",
  `'\\''`,
  '"double"',
  '"',
  '\\',
  'trailing\\',
  '$(touch CANARY)',
  '`touch CANARY`',
  '; touch CANARY',
  '&& touch CANARY',
  '| touch CANARY',
  '& touch CANARY &',
  '> CANARY',
  '$(touch CANARY)\n$(touch CANARY)',
  "'; touch CANARY; '",
  '"; touch CANARY; "',
  '\ntouch CANARY\n',
  'line1\nline2',
  'cr\rcr',
  'tab\there',
  '$HOME',
  '${HOME}',
  '${IFS}',
  '$((1+1))',
  '$?',
  '$0 $1 $@',
  '*',
  '?',
  '[a-z]*',
  '{a,b}',
  '~',
  '~/x',
  '~root',
  '!',
  '!!',
  '#not a comment',
  'a #b',
  'A=b',
  'if',
  'then',
  '-n',
  '-e',
  '--',
  '-',
  '--flag=$(touch CANARY)',
  'ünïcödé 日本語 🚀',
  '\u0001\u001b[31mred\u001b[0m',
  'x'.repeat(5000),
  '%s %d %%',
  '(subshell)',
  '{ touch CANARY; }',
];

/** The corpus with its placeholder filled in. */
export function corpusWith(canary: string): string[] {
  return INJECTION_CORPUS.map((w) => w.replaceAll('CANARY', canary));
}

/** A small seeded generator (mulberry32): the same hostile words on every run. */
export function randomWords(seed: number, count: number): string[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = [...'\'"`$(){}[]*?~!#;&|<>\\ \t\n\r=-%@:,./aZ09é日🚀', '\u0007'];
  return Array.from({ length: count }, () => {
    const len = Math.floor(next() * 12);
    return Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]!).join('');
  });
}
