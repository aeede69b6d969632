// The named keys agentctl types into a terminal: a fixed list, each with the name tmux knows it by (pure).

/** tmux key names agentctl sends (the runtime's KeyStep keys). */
export const TMUX_KEYS = [
  'Enter',
  'Escape',
  'Tab',
  'BTab',
  'Up',
  'Down',
  'Left',
  'Right',
  'Home',
  'End',
  'PPage',
  'NPage',
  'BSpace',
  'DC',
  'Space',
  'C-c',
  'C-d',
  'C-l',
  'C-o',
  'C-r',
  'C-t',
  'C-u',
] as const;
export type TmuxKey = (typeof TMUX_KEYS)[number];

/** Names a user may give `send --key`, each to its tmux key. Every tmux name is accepted as is;
 * the others are the usual spellings (S-Tab is no key name in tmux 3.3: sent as is it types the
 * five letters, measured; its key is BTab, which sends ESC [ Z). */
const ALIASES: Record<string, TmuxKey> = {
  'S-Tab': 'BTab',
  Esc: 'Escape',
  ESC: 'Escape',
  Return: 'Enter',
  PageUp: 'PPage',
  PageDown: 'NPage',
  Backspace: 'BSpace',
  Delete: 'DC',
  'C-C': 'C-c',
  'C-D': 'C-d',
};

const BY_NAME = new Map<string, TmuxKey>([...TMUX_KEYS.map((k) => [k, k] as const), ...Object.entries(ALIASES)]);

/** The names `send --key` documents, in the order of its help. */
export const KEY_HELP_NAMES = ['Escape', 'Enter', 'Tab', 'S-Tab', 'C-c', 'Up', 'Down', 'Left', 'Right', 'BSpace'];

/** The tmux key for a name, or undefined when the name is not on the list. */
export function tmuxKeyOf(name: string): TmuxKey | undefined {
  return BY_NAME.get(name);
}

/** Every accepted name, for an error message. */
export function acceptedKeyNames(): string[] {
  return [...BY_NAME.keys()];
}
