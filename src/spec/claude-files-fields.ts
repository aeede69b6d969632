// claude.mcpServers and claude.memory (DESIGN §10.5): what agentctl writes into .mcp.json and CLAUDE.md (zod).
import { z } from 'zod';
import { ENV_KEY_PATTERN } from './schema-fields.js';
import { isSecretKey } from './secrets.js';

/** `${VAR}` as Claude Code expands it in .mcp.json. */
const VAR_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$/i;

const literalSecret = (value: string): boolean => value !== '' && !VAR_REF.test(value);
const SECRET_MESSAGE =
  'a secret-looking value must be a ${VAR} reference (Claude Code expands it when it starts): agentctl never writes a secret into .mcp.json';

const StdioServer = z.strictObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z
    .record(z.string().regex(ENV_KEY_PATTERN, 'environment variable names are letters, digits and _'), z.string())
    .default({}),
});

const HttpServer = z.strictObject({
  type: z.enum(['http', 'sse']),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).default({}),
});

export const McpServer = z.union([StdioServer, HttpServer]).superRefine((s, ctx) => {
  const [field, map, secret] =
    'command' in s
      ? (['env', s.env, isSecretKey] as const)
      : (['headers', s.headers, (k: string) => isSecretKey(k) || SECRET_HEADER.test(k)] as const);
  for (const [k, v] of Object.entries(map))
    if (secret(k) && literalSecret(v)) ctx.addIssue({ code: 'custom', path: [field, k], message: SECRET_MESSAGE });
});

export const McpServers = z.record(
  z
    .string()
    .min(1)
    .regex(/^[^\s]+$/, 'a server name has no spaces'),
  McpServer,
);

/** agentctl's section of CLAUDE.md: any text, without agentctl's own marker lines in it. */
export const Memory = z
  .string()
  .refine((m) => !m.includes('<!-- agentctl:'), 'must not contain "<!-- agentctl:" (the section markers)');

export type McpServer = z.infer<typeof McpServer>;

/** A file both in spec.files and built by claude.mcpServers or claude.memory: which one wins
 * would be a guess, so it is an error at the `files` entry. */
export function claudeFileClashes(
  files: Record<string, string>,
  claude: { mcpServers?: unknown; memory?: unknown } | undefined,
): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  if (claude?.mcpServers !== undefined && '.mcp.json' in files)
    out.push({
      path: ['files', '.mcp.json'],
      message: 'claude.mcpServers writes .mcp.json: declare servers there only',
    });
  if (claude?.memory !== undefined && 'CLAUDE.md' in files)
    out.push({
      path: ['files', 'CLAUDE.md'],
      message: 'claude.memory keeps a section of CLAUDE.md: files would overwrite it',
    });
  return out;
}
