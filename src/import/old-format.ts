// Recognises documents of the older Python tool: its apiVersions and kinds.

export const OLD_API_VERSIONS = ['cld-agent/v1', 'scitex-agent-container/v2', 'scitex-agent-container/v3'] as const;
export type OldApiVersion = (typeof OLD_API_VERSIONS)[number];

const AGENT_KINDS = new Set(['Agent', 'AgentContainer']);

export type Recognised = { ok: true; apiVersion: OldApiVersion } | { ok: false; reason: string };

export function recognise(doc: unknown): Recognised {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'not a YAML map' };
  const { apiVersion, kind } = doc as Record<string, unknown>;
  const known = OLD_API_VERSIONS.find((v) => v === apiVersion);
  if (known === undefined) {
    const already = apiVersion === 'agentctl/v1' ? ' (already an agentctl spec)' : '';
    return {
      ok: false,
      reason: `apiVersion ${JSON.stringify(apiVersion ?? null)} is not one of ${OLD_API_VERSIONS.join(', ')}${already}`,
    };
  }
  if (kind === 'AgentProxy')
    return { ok: false, reason: 'kind AgentProxy (an HTTP forwarder to another agent) has no agentctl equivalent' };
  if (kind !== undefined && (typeof kind !== 'string' || !AGENT_KINDS.has(kind))) {
    return { ok: false, reason: `kind ${JSON.stringify(kind)} is not an agent (${[...AGENT_KINDS].join(' or ')})` };
  }
  return { ok: true, apiVersion: known };
}
