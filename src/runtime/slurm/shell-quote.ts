// Quoting one word for sh (pure): what the batch scripts put around every value of the agent.

/** Inside single quotes nothing ($, `, \, globs, ~) is interpreted; a quote is closed, escaped
 * and reopened. */
export function shQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
