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
  | 'custom-api-key'
  | 'development-channels'
  | 'thinking-effort'
  | 'trust-folder'
  | 'skip-permissions-yn'
  | 'trust-folder-yn';

/** What a detector may compare the screen with: the agent's own values. */
export interface PromptContext {
  /** The agent's ANTHROPIC_API_KEY: the custom-API-key dialog is accepted only for it. */
  apiKey?: string | undefined;
}

export interface PromptHandler {
  name: PromptName;
  /** What the keys choose, for events: `2. Yes, I accept`. */
  choice: string;
  /** Sees plain text of a pane whose active dialog is at its bottom (see activeDialog). */
  detect(pane: string, ctx: PromptContext): boolean;
  /** The keys that confirm the choice (with `select`: once the cursor is on it). */
  keys: KeyStep[];
  /** A menu without digits: the cursor is moved to the choice first, and Enter is sent only once
   * the screen shows it there. Moving and confirming are separate steps, so a dropped move can
   * never turn the confirm into the menu's default (`No, exit`). */
  select?: { on: RegExp; move: KeyStep };
}

const MENU_FOOTER = /Enter to confirm/;
/** A menu is the active screen only when its footer is the pane's last line of content. */
const ACTIVE_FOOTER = /^\s*Enter to confirm · Esc to \w+\s*$/;
/** 2.1.x menus have no digits: keys move a cursor (`❯`), so where it is matters (see `select`). */
const NO_EXIT = /^\s*(?:❯\s*)?No, exit\s*$/m;
/** An option line, with or without the cursor on it. */
const option = (text: string): RegExp => new RegExp(`^\\s*(?:❯\\s*)?${text}\\s*$`, 'm');
/** The option line with the cursor on it. */
const cursorOn = (text: string): RegExp => new RegExp(`^\\s*❯\\s*${text}\\s*$`, 'm');
const YES_NO = /\(y\/n\)|\[y\/n\]|\by\/n\b/i;

/** Ink draws menus inside box characters and may use no-break spaces: compare plain text. */
export function plain(pane: string): string {
  return pane.replace(/\u00a0/g, ' ').replace(/[│┃║]/g, ' ');
}

/** Checked in this order; the first that matches is answered. */
export const PROMPTS: readonly PromptHandler[] = [
  {
    // 2.1.x: "WARNING: Claude Code running in Bypass Permissions mode … ❯ No, exit / Yes, I accept".
    name: 'bypass-permissions',
    choice: 'Yes, I accept',
    detect: (p) => /Bypass Permissions mode/i.test(p) && NO_EXIT.test(p) && option('Yes, I accept').test(p),
    keys: [key('Enter')],
    select: { on: cursorOn('Yes, I accept'), move: key('Down') },
  },
  {
    // 2.1.x: "Quick safety check: Is this a project you created or one you trust? ❯ No, exit / Yes, I trust this folder".
    name: 'trust-folder',
    choice: 'Yes, I trust this folder',
    detect: (p) => NO_EXIT.test(p) && option('Yes, I trust this folder').test(p),
    keys: [key('Enter')],
    select: { on: cursorOn('Yes, I trust this folder'), move: key('Down') },
  },
  {
    // "Detected a custom API key in your environment · ANTHROPIC_API_KEY: sk-ant-...<last 20> · Do
    // you want to use this API key? Yes / ❯ No (recommended)": Yes only for the agent's own key.
    name: 'custom-api-key',
    choice: "Yes (the agent's own ANTHROPIC_API_KEY)",
    detect: (p, ctx) => {
      if (!/Do you want to use this API key\?/.test(p) || !option('No \\(recommended\\)').test(p)) return false;
      const shown = /ANTHROPIC_API_KEY:\s*\S*?\.\.\.(\S+)/.exec(p)?.[1];
      return shown !== undefined && shown.length >= 8 && ctx.apiKey !== undefined && ctx.apiKey.endsWith(shown);
    },
    keys: [key('Enter')],
    select: { on: cursorOn('Yes'), move: key('Up') },
  },
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

const lastLine = (text: string): string =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .pop() ?? '';
/** Claude Code's input box: a `❯`/`>` line between two horizontal rules. */
const INPUT_BOX = /^\s*─{20,}\s*\n\s*[>❯][^\n]*\n\s*─{20,}\s*$/m;

/** The pane's active dialog is at its bottom: a menu whose footer ends the content, or a y/n
 * question on the last line with no input box on the screen. Anything else — prompt-like text in
 * a conversation above the input box — is never answered. */
export function activeDialog(text: string): 'menu' | 'yn' | undefined {
  const last = lastLine(text);
  if (ACTIVE_FOOTER.test(last)) return 'menu';
  if (YES_NO.test(last) && !INPUT_BOX.test(text)) return 'yn';
  return undefined;
}

/** The prompt on the pane, if any: only the active dialog at its bottom. */
export function detectPrompt(pane: string, ctx: PromptContext = {}): PromptHandler | undefined {
  const text = plain(pane);
  const active = activeDialog(text);
  if (!active) return undefined;
  return PROMPTS.find((h) => (active === 'yn') === h.name.endsWith('-yn') && h.detect(text, ctx));
}

/** Marks of Claude Code's input screen: the status line under the input box. */
const READY_MARKS = [/bypass permissions on/i, /\? for shortcuts/, /shift\+tab to cycle/i];
/** Older builds draw the input box as a box: `╭───╮ / │ > … │`. */
const BOXED_INPUT = /^\s*╭─{20,}╮\s*\n\s*[│ ]\s*>/m;

/** True when Claude Code shows its input screen and no active dialog: it takes typed text now. A
 * footer or a menu line above the input box is conversation; the conversation's own `❯ prompt`
 * lines are not an input box (a permission dialog shows them too). */
export function isReadyScreen(pane: string): boolean {
  const text = plain(pane);
  if (activeDialog(text) || detectPrompt(pane)) return false;
  const box = INPUT_BOX.test(text) || BOXED_INPUT.test(pane);
  // A footer with no input box on the screen: a dialog still being drawn.
  if (MENU_FOOTER.test(text) && !box) return false;
  return box || READY_MARKS.some((m) => m.test(text));
}
