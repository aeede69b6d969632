// agentctl schema: the JSON Schema of every spec document (Agent, Host, defaults/overlay layer), generated from the zod schema.
import { specJsonSchema } from '../../spec/json-schema.js';

export function schema(): void {
  process.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
}
