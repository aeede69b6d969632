// The JSON Schema editors check spec files against: any document of the specs folder — an Agent, a
// Host, or a _defaults.yaml / overlay layer — chosen by its kind (pure).
import { z } from 'zod';
import { AgentDocument, HostDocument } from './schema.js';

type Json = Record<string, unknown>;

/** Draft-07: what editors' YAML support (VS Code's YAML extension, JetBrains) reads everywhere. */
const toJson = (schema: z.ZodType): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-7',
  }) as Json;
  return rest;
};

/** A JSON Merge Patch of what the schema describes: no field required, and any field of an
 * object, at any depth, may be null (a null removes a default). Arrays are replaced whole. */
function mergePatchOf(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const { required: _, ...s } = schema as Json;
  const nullable = (v: unknown): Json => ({ anyOf: [mergePatchOf(v), { type: 'null' }] });
  const out: Json = { ...s };
  if (s.properties && typeof s.properties === 'object')
    out.properties = Object.fromEntries(Object.entries(s.properties as Json).map(([k, v]) => [k, nullable(v)]));
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    out.additionalProperties = nullable(s.additionalProperties);
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(s[key])) out[key] = (s[key] as unknown[]).map(mergePatchOf);
  return out;
}

/** A `_defaults.yaml` or `_overlays/<host>/<name>.yaml` document: `metadata` and/or `spec` as a
 * merge patch, with no `kind` (which is what tells it from an Agent or a Host). */
function layerSchema(agent: Json): Json {
  const props = agent.properties as { metadata: Json; spec: Json };
  const { name: _, ...metadataFields } = props.metadata.properties as Json;
  return {
    title: 'defaults or overlay layer (_defaults.yaml, _overlays/HOST/NAME.yaml)',
    type: 'object',
    properties: {
      apiVersion: { type: 'string', const: 'agentctl/v1' },
      metadata: mergePatchOf({ ...props.metadata, properties: metadataFields }),
      spec: mergePatchOf(props.spec),
    },
    additionalProperties: false,
  };
}

export function specJsonSchema(): Json {
  const agent = { title: 'Agent', ...toJson(AgentDocument) };
  const host = { title: 'Host', ...toJson(HostDocument) };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://agentctl.dev/schema/agentctl-v1.json',
    title: 'agentctl/v1 spec document (Agent, Host, or a defaults/overlay layer)',
    oneOf: [agent, host, layerSchema(agent)],
  };
}
