// Quoting for POSIX sh, the one module for it (pure): words of scripts, and argvs for ssh's remote shell.
//
// ssh joins its arguments with spaces and the remote login shell parses the result, so every
// element must reach that shell as exactly one literal word. Single quotes keep everything
// literal in POSIX sh ($, `, \, ", globs, ~, newlines, any byte but NUL); a quote inside is
// written as '\'' (close, escaped quote, reopen). Words made only of characters no shell treats
// specially are left bare, so commands stay readable in `ps` and logs; `=` is not among them (a
// leading `A=b` would be an assignment) and neither are the reserved words (`if`, `!`, ...).

const BARE = /^[A-Za-z0-9_@%+:,./-]+$/;
const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  'in',
  'function',
  'select',
  'time',
]);

export class QuoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuoteError';
  }
}

/** One word for sh, byte for byte, always in single quotes: for scripts and launch files, where a
 * value must stay the same word whatever it holds. */
export function shQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One word for a POSIX shell. NUL cannot travel in an argv at all, so it is refused. */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new QuoteError('an argument must not contain a NUL byte');
  if (BARE.test(word) && !RESERVED.has(word)) return word;
  return shQuote(word);
}

/** A whole argv as one command line for a POSIX shell: each element one word, nothing expanded. */
export function shellQuoteArgv(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
