// Maps spec.model and spec.claude{session,resume_id,flags,channels} to the claude preset.
import type { Notes } from './notes.js';
import { asText, child, isMap, isStringList } from './values.js';

type Session = 'new' | 'continue' | 'resume' | 'continue-or-new';

export interface NewClaude {
  model?: string;
  session?: Session;
  resumeId?: string;
  flags?: string[];
  channels?: string[];
}

const SESSIONS: Record<string, Session> = {
  new: 'new',
  fresh: 'new',
  continue: 'continue',
  resume: 'resume',
  'continue-or-new': 'continue-or-new',
  continue_or_new: 'continue-or-new',
  auto: 'continue-or-new',
};

export function mapClaude(oldModel: unknown, old: unknown, notes: Notes): NewClaude {
  const out: NewClaude = {};
  const c = isMap(old) ? old : {};
  if (old !== undefined && !isMap(old)) notes.notMapped('spec.claude', old, 'not a map');
  const model = modelOf(oldModel, c.model, notes);
  if (model !== undefined) out.model = model;
  for (const [key, value] of Object.entries(c)) {
    const path = child('spec.claude', key);
    if (key === 'model') continue;
    else if (key === 'session') mapSession(value, path, out, notes);
    else if (key === 'resume_id') {
      const id = asText(value);
      if (id === undefined) notes.notMapped(path, value, 'not a string');
      else if (id !== '') out.resumeId = id;
    } else if (key === 'flags') {
      const flags = stringList(value, path, notes, /\s+/);
      if (flags && flags.length > 0) out.flags = flags;
    } else if (key === 'channels') {
      const channels = stringList(value, path, notes, /[\s,]+/);
      if (channels && channels.length > 0) out.channels = channels;
    } else notes.notMapped(path, value);
  }
  settleResume(out, c.session, notes);
  return out;
}

/** spec.model is the documented place; spec.claude.model is read too, and loses a conflict. */
function modelOf(top: unknown, nested: unknown, notes: Notes): string | undefined {
  const a = asText(top);
  const b = asText(nested);
  if (top !== undefined && a === undefined) notes.notMapped('spec.model', top, 'not a string');
  if (nested !== undefined && b === undefined) notes.notMapped('spec.claude.model', nested, 'not a string');
  if (a !== undefined && b !== undefined && a !== b) notes.notMapped('spec.claude.model', nested, `spec.model ${a} wins`);
  return a ?? b;
}

function mapSession(value: unknown, path: string, out: NewClaude, notes: Notes): void {
  const key = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const session = SESSIONS[key];
  if (session === undefined) {
    notes.notMapped(path, value, 'sessions are new, continue, resume or continue-or-new');
    return;
  }
  if (key === 'auto') notes.add('session auto became continue-or-new: continue the last conversation of this workdir if there is one', ['spec', 'claude', 'session']);
  out.session = session;
}

/** `resume` needs an id in agentctl; an id without a session meant resume in the old tool. */
function settleResume(out: NewClaude, oldSession: unknown, notes: Notes): void {
  if (out.session === 'resume' && out.resumeId === undefined) {
    out.session = 'new';
    notes.add(`session resume without resume_id: starts a new session instead`, ['spec', 'claude', 'session']);
  } else if (out.session === undefined && oldSession === undefined && out.resumeId !== undefined) {
    out.session = 'resume';
  }
}

/** A list of strings, or one string split the way the old tool split it. */
function stringList(v: unknown, path: string, notes: Notes, separator: RegExp): string[] | undefined {
  if (isStringList(v)) return v;
  if (typeof v === 'string') {
    const parts = v.split(separator).filter(Boolean);
    if (parts.length > 1) notes.add(`${path} was one string: split into a list`, ['spec', 'claude', path.slice(path.lastIndexOf('.') + 1)]);
    return parts;
  }
  notes.notMapped(path, v, 'not a list of strings');
  return undefined;
}
