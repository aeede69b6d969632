// Whether Claude Code's permission dialog is the active screen of a pane, so that keys answer it and nothing else (pure).

/** Footer of the permission dialog in 2.1.328 ("Esc to cancel · Tab to amend"). */
const FOOTER = /Esc to cancel · Tab to amend\s*$/;
const QUESTION = /Do you want to proceed\?/;
/** The first choice, selected: Enter grants once. */
const YES_SELECTED = /^\s*❯ 1\. Yes\s*$/m;

export interface DialogState {
  active: boolean;
  /** Enter would choose "1. Yes". */
  yesSelected: boolean;
}

/**
 * The dialog is active when its footer ends the pane's content and its question is on the
 * screen above it, with no input box (a `❯ ` line between rules) after the question. Text of a
 * conversation that quotes the dialog is never followed by the footer as the last line.
 */
export function permissionDialog(screen: string): DialogState {
  const content = screen.replace(/\s+$/, '');
  const q = content.search(QUESTION);
  if (q < 0 || !FOOTER.test(content)) return { active: false, yesSelected: false };
  const after = content.slice(q);
  if (/^─{10,}\s*\n\s*❯ /m.test(after)) return { active: false, yesSelected: false };
  return { active: true, yesSelected: YES_SELECTED.test(after) };
}
