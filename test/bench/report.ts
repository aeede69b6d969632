// Prints a section's table (kubectl-style, like agentctl get) and progress lines to stderr.
import { renderTable } from '../../src/cli/table.js';

export function printTable(title: string, head: string[], rows: string[][], notes: string[] = []): void {
  process.stdout.write(`\n## ${title}\n\n${renderTable(head, rows)}`);
  for (const n of notes) process.stdout.write(`  ${n}\n`);
}

export function progress(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}
