// Maps the Claude Code settings (spec.model, spec.session, spec.claude.*) to the claude preset.
import type { ClaudeContext } from '../spec/schema.js';
import type { Notes } from './notes.js';
import { asText, child, isMap, isStringList, type OldMap } from './values.js';

type Session = 'new' | 'continue' | 'resume' | 'continue-or-new';

export interface NewClaude {
  model?: string;
  session?: Session;
  resumeId?: string;
  flags?: string[];
  channels?: string[];
  autoAccept?: boolean;
  continueMaxAgeMinutes?: number;
  context?: Partial<ClaudeContext>;
}

/** Session names across the older versions (v3 renamed new to fresh). */
const SESSIONS: Record<string, Session> = {
  new: 'new',
  'new-session': 'new',
  fresh: 'new',
  continue: 'continue',
  resume: 'resume',
  'continue-or-new': 'continue-or-new',
  continue_or_new: 'continue-or-new',
  auto: 'continue-or-new',
};

/** `s` is the old spec: model and session may sit at its top (v1/v2) or in spec.claude (v3). */
export function mapClaude(s: OldMap, notes: Notes): NewClaude {
  const old = s.claude;
  const out: NewClaude = {};
  const c = isMap(old) ? old : {};
  if (old !== undefined && !isMap(old)) notes.notMapped('spec.claude', old, 'not a map');
  const model = modelOf(s.model, c.model, notes);
  if (model !== undefined) out.model = model;
  // A top-level spec.session wins over spec.claude.session, as in the older tool.
  if (s.session !== undefined) mapSession(s.session, 'spec.session', out, notes);
  for (const [key, value] of Object.entries(c)) {
    const path = child('spec.claude', key);
    if (key === 'model') continue;
    else if (key === 'session') {
      if (s.session === undefined) mapSession(value, path, out, notes);
      else notes.notMapped(path, value, 'spec.session wins');
    } else if (key === 'resume_id') {
      const id = asText(value);
      if (id === undefined) notes.notMapped(path, value, 'not a string');
      else if (id.trim() !== '') out.resumeId = id.trim();
    } else if (key === 'flags') {
      const flags = stringList(value, path, notes, /\s+/);
      if (flags && flags.length > 0) out.flags = flags;
    } else if (key === 'channels') {
      const channels = stringList(value, path, notes, /[\s,]+/);
      if (channels && channels.length > 0) out.channels = channels;
    } else if (key === 'auto_accept') {
      if (typeof value === 'boolean') out.autoAccept = value;
      else notes.notMapped(path, value, 'not true or false');
    } else if (key === 'continue_max_age_minutes') {
      if (typeof value === 'number' && value >= 0) out.continueMaxAgeMinutes = value;
      else if (value !== null) notes.notMapped(path, value, 'not a number of minutes');
    } else notes.notMapped(path, value);
  }
  // The older tool answered Claude Code's start-up prompts unless told not to.
  if (out.autoAccept === undefined) out.autoAccept = true;
  else if (!out.autoAccept) delete out.autoAccept;
  settleResume(out, s.session ?? c.session, notes);
  return out;
}

/** spec.model is the v1/v2 place, spec.claude.model the v3 one; the top-level one wins a conflict. */
function modelOf(top: unknown, nested: unknown, notes: Notes): string | undefined {
  const a = asText(top);
  const b = asText(nested);
  if (top !== undefined && a === undefined) notes.notMapped('spec.model', top, 'not a string');
  if (nested !== undefined && b === undefined) notes.notMapped('spec.claude.model', nested, 'not a string');
  if (a !== undefined && b !== undefined && a !== b)
    notes.notMapped('spec.claude.model', nested, `spec.model ${a} wins`);
  return a ?? b;
}

function mapSession(value: unknown, path: string, out: NewClaude, notes: Notes): void {
  const key = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const session = SESSIONS[key];
  if (session === undefined) {
    notes.notMapped(path, value, 'sessions are new, fresh, continue, resume or continue-or-new');
    return;
  }
  if (key === 'auto')
    notes.add('session auto became continue-or-new: continue the last conversation of this workdir if there is one', [
      'spec',
      'claude',
      'session',
    ]);
  out.session = session;
}

/** `resume` without an id continued the most recent conversation in the older tool; an id
 * without a session meant resume. */
function settleResume(out: NewClaude, oldSession: unknown, notes: Notes): void {
  if (out.session === 'resume' && out.resumeId === undefined) {
    out.session = 'continue';
    notes.add(
      'session resume without resume_id: continues the most recent conversation (--continue), as the older tool did',
      ['spec', 'claude', 'session'],
    );
  } else if (out.session === undefined && oldSession === undefined && out.resumeId !== undefined) {
    out.session = 'resume';
  } else if (out.session !== 'resume' && out.resumeId !== undefined) {
    notes.add(`resume_id ${out.resumeId} is only used by session resume`, ['spec', 'claude', 'resumeId']);
  }
}

/** A list of strings, or one string split the way the old tool split it. */
function stringList(v: unknown, path: string, notes: Notes, separator: RegExp): string[] | undefined {
  if (isStringList(v)) return v;
  if (typeof v === 'string') {
    const parts = v.split(separator).filter(Boolean);
    if (parts.length > 1)
      notes.add(`${path} was one string: split into a list`, ['spec', 'claude', path.slice(path.lastIndexOf('.') + 1)]);
    return parts;
  }
  notes.notMapped(path, v, 'not a list of strings');
  return undefined;
}
