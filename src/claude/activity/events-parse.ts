// Lines of an incarnation's events and status files, parsed into activity events (pure).
//
// A line is `h|s <incarnation> <epoch s> <json>`. Anything else is skipped: a garbled line, a line
// of another incarnation (a late hook of the one before, a replayed file), a line the hook cut at
// its size limit is kept only when its head still names the hook (the fields the reducer needs
// come first in Claude Code's JSON; a long prompt is what gets cut).
import { z } from 'zod';

/** What the reducer reads of a hook's input (Claude Code sends more; it is ignored). */
export const HookInput = z.looseObject({
  hook_event_name: z.string(),
  session_id: z.string().optional(),
  transcript_path: z.string().optional(),
  source: z.string().optional(),
  reason: z.string().optional(),
  trigger: z.string().optional(),
  notification_type: z.string().optional(),
  message: z.string().optional(),
  model: z.unknown().optional(),
});
export type HookInput = z.infer<typeof HookInput>;

/** What the reducer reads of the status line's input. */
export const StatusInput = z.looseObject({
  session_id: z.string().optional(),
  transcript_path: z.string().optional(),
  version: z.string().optional(),
  model: z.looseObject({ id: z.string().optional(), display_name: z.string().optional() }).optional(),
  cost: z.looseObject({ total_cost_usd: z.number().optional() }).optional(),
  context_window: z
    .looseObject({ used_percentage: z.number().nullable().optional(), context_window_size: z.number().optional() })
    .optional(),
});
export type StatusInput = z.infer<typeof StatusInput>;

export type ActivityEvent =
  { kind: 'hook'; at: number; hook: HookInput } | { kind: 'status'; at: number; status: StatusInput };

const LINE = /^([hs]) (\S+) (\d{1,12}) (.*)$/s;

/** One line, or undefined when it is not this incarnation's or cannot be read. */
export function parseEventLine(line: string, incarnation: string): ActivityEvent | undefined {
  const m = LINE.exec(line);
  if (!m || m[2] !== incarnation) return undefined;
  const at = Number(m[3]) * 1000;
  const json = m[4]!;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = m[1] === 'h' ? headOfCutLine(json) : undefined;
  }
  if (m[1] === 'h') {
    const hook = HookInput.safeParse(value);
    return hook.success ? { kind: 'hook', at, hook: hook.data } : undefined;
  }
  const status = StatusInput.safeParse(value);
  return status.success ? { kind: 'status', at, status: status.data } : undefined;
}

const STRING_FIELD =
  /"(hook_event_name|session_id|transcript_path|source|reason|notification_type)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** The string fields that survive in a line cut short. */
function headOfCutLine(json: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const m of json.matchAll(STRING_FIELD)) {
    try {
      out[m[1]!] ??= JSON.parse(`"${m[2]!}"`) as string;
    } catch {
      /* an escape cut in half */
    }
  }
  return out.hook_event_name ? out : undefined;
}

/** Splits bytes read after `partial` into complete lines and the rest (a line still being written). */
export function splitLines(partial: string, chunk: string): { lines: string[]; partial: string } {
  const text = partial + chunk;
  const end = text.lastIndexOf('\n');
  if (end < 0) return { lines: [], partial: text };
  return { lines: text.slice(0, end).split('\n'), partial: text.slice(end + 1) };
}
