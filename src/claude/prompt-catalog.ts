// Claude Code's start-up prompts: how each one reads on the pane, and the keys that accept it (pure).
//
// The texts and keys follow what Claude Code draws and what the older Python tool
// (scitex-agent-container, runtimes/prompts.py) learnt to answer in production: a numbered menu
// ("❯ 1. …", "Enter to confirm") is answered with the option's digit and then Enter; the older
// y/n questions with "y" and Enter. Each detector asks for the option text it is about to pick, so
// a reworded dialog is left alone (and times out visibly) rather than answered blindly.
import { key, lit, type KeyStep } from './keys.js';

export type PromptName =
  | 'bypass-permissions'
  | 'development-channels'
  | 'thinking-effort'
  | 'trust-folder'
  | 'skip-permissions-yn'
  | 'trust-folder-yn';

export interface PromptHandler {
  name: PromptName;
  /** What the keys choose, for events: `2. Yes, I accept`. */
  choice: string;
  detect(pane: string): boolean;
  keys: KeyStep[];
}

const MENU_FOOTER = /Enter to confirm/;
const YES_NO = /\(y\/n\)|\[y\/n\]|\by\/n\b/i;

/** Ink draws menus inside box characters and may use no-break spaces: compare plain text. */
export function plain(pane: string): string {
  return pane.replace(/\u00a0/g, ' ').replace(/[│┃║]/g, ' ');
}

/** Checked in this order; the first that matches is answered. */
export const PROMPTS: readonly PromptHandler[] = [
  {
    // "WARNING: Claude Code running in Bypass Permissions mode … ❯ 1. No, exit / 2. Yes, I accept"
    name: 'bypass-permissions',
    choice: '2. Yes, I accept',
    detect: (p) => /Bypass Permissions mode/i.test(p) && /2\.\s*Yes, I accept/.test(p) && MENU_FOOTER.test(p),
    keys: [lit('2'), key('Enter')],
  },
  {
    // --dangerously-load-development-channels: "❯ 1. I am using this for local development / 2. Exit"
    name: 'development-channels',
    choice: '1. I am using this for local development',
    detect: (p) => /1\.\s*I am using this for local development/.test(p) && MENU_FOOTER.test(p),
    keys: [lit('1'), key('Enter')],
  },
  {
    // The thinking-effort menu: "❯ 1. Medium (recommended)".
    name: 'thinking-effort',
    choice: '1. Medium (recommended)',
    detect: (p) => /1\.\s*Medium/.test(p) && /thinking|effort/i.test(p) && MENU_FOOTER.test(p),
    keys: [lit('1'), key('Enter')],
  },
  {
    // First start in an untrusted folder: "Do you trust the files in this folder? ❯ 1. Yes, proceed"
    // (newer: "Is this a project you created or one you trust? ❯ 1. Yes, I trust this folder").
    name: 'trust-folder',
    choice: '1. Yes',
    detect: (p) =>
      (/trust the files in this folder/i.test(p) || /1\.\s*Yes, I trust this folder/.test(p)) &&
      /1\.\s*Yes/.test(p) &&
      MENU_FOOTER.test(p),
    keys: [lit('1'), key('Enter')],
  },
  {
    // Older builds asked in plain text before skipping permissions.
    name: 'skip-permissions-yn',
    choice: 'y',
    detect: (p) =>
      !MENU_FOOTER.test(p) &&
      /skip-permissions|bypass permissions/i.test(p) &&
      YES_NO.test(p) &&
      !/bypass permissions on/i.test(p),
    keys: [lit('y'), key('Enter')],
  },
  {
    name: 'trust-folder-yn',
    choice: 'y',
    detect: (p) => !MENU_FOOTER.test(p) && /\btrust\b/i.test(p) && /\bfolder\b/i.test(p) && YES_NO.test(p),
    keys: [lit('y'), key('Enter')],
  },
];

/** The prompt on the pane, if any. */
export function detectPrompt(pane: string): PromptHandler | undefined {
  const text = plain(pane);
  return PROMPTS.find((h) => h.detect(text));
}

/** Marks of Claude Code's input screen: the status line under the input box. */
const READY_MARKS = [/bypass permissions on/i, /\? for shortcuts/, /shift\+tab to cycle/i];
/** The input box's prompt line: `│ > …` (older builds) or `❯ …` (newer); never a menu's
 * highlighted option (`❯ 1. No, exit`), which a half-drawn dialog shows before its footer. */
const INPUT_LINE = /^\s*[>❯](?:\s*$|\s+(?!\d+\.\s))/m;

/** True when Claude Code shows its input screen and no menu: it takes typed text now. */
export function isReadyScreen(pane: string): boolean {
  const text = plain(pane);
  if (MENU_FOOTER.test(text) || detectPrompt(pane)) return false;
  return READY_MARKS.some((m) => m.test(text)) || INPUT_LINE.test(text);
}
