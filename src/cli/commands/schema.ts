// agentctl schema: the JSON Schema of an agent spec, generated from the zod schema.
import { z } from 'zod';
import { AgentDocument } from '../../spec/schema.js';

export function schema(): void {
  const json = z.toJSONSchema(AgentDocument, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const out = { $id: 'https://agentctl.dev/schema/agent-v1.json', title: 'agentctl/v1 Agent', ...json };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
