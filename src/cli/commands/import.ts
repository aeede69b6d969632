// agentctl import: converts specs of the older Python tool (not yet implemented: issue 6).
import { ExitError } from '../exit.js';

export async function importCommand(_files: string[]): Promise<void> {
  throw new ExitError(2, 'import is not implemented yet');
}
