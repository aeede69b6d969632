// Transcript lines shaped like the ones Claude Code writes to ~/.claude/projects/<slug>/<session>.jsonl.

export const SESSION = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

export function userLine(text: string, time = '2026-11-29T10:00:00.000Z', session = SESSION): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: '/home/agent/work',
    sessionId: session,
    version: '2.1.90',
    type: 'user',
    message: { role: 'user', content: text },
    uuid: `u-${time}`,
    timestamp: time,
  });
}

export interface AssistantOptions {
  model?: string;
  time?: string;
  session?: string;
  sidechain?: boolean;
  output?: number;
}

/** An assistant turn whose request used `input` context tokens (split as Claude Code's usage is). */
export function assistantLine(input: number, o: AssistantOptions = {}): string {
  const read = Math.floor(input * 0.9);
  const created = Math.floor(input * 0.08);
  return JSON.stringify({
    parentUuid: 'u-1',
    isSidechain: o.sidechain ?? false,
    userType: 'external',
    cwd: '/home/agent/work',
    sessionId: o.session ?? SESSION,
    version: '2.1.90',
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: o.model ?? 'claude-opus-4-1-20250805',
      content: [{ type: 'text', text: 'Done.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: input - read - created,
        cache_creation_input_tokens: created,
        cache_read_input_tokens: read,
        output_tokens: o.output ?? 321,
        service_tier: 'standard',
      },
    },
    requestId: 'req_01',
    type: 'assistant',
    uuid: `a-${o.time ?? 'x'}`,
    timestamp: o.time ?? '2026-11-29T10:00:05.000Z',
  });
}

export function compactBoundaryLine(time = '2026-11-29T11:00:00.000Z', session = SESSION): string {
  return JSON.stringify({
    parentUuid: null,
    logicalParentUuid: 'a-1',
    isSidechain: false,
    type: 'system',
    subtype: 'compact_boundary',
    content: 'Conversation compacted',
    sessionId: session,
    level: 'info',
    compactMetadata: { trigger: 'manual', preTokens: 171234 },
    timestamp: time,
  });
}

export const summaryLine = (text: string): string =>
  JSON.stringify({ type: 'summary', summary: text, leafUuid: 'a-1' });
