// Shows an argv as a shell would need it typed (display only: argv never goes through a shell).
import { shellQuote as quoteWord } from '../exec/shell-quote.js';

/** One argument as typed; a NUL (which no argv can hold) shows as \0 rather than failing. */
export function quoteArg(a: string): string {
  return quoteWord(a.replaceAll('\0', '\\0'));
}

export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
