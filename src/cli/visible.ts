// Text from agents, hooks and checks made safe for a terminal: control characters shown, never obeyed (pure).

/** C0 controls but tab and newline, DEL, and the C1 controls U+0080-U+009F (CSI, OSC, ST...). */

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `ESC ] 52 ; c ; ... BEL` (OSC 52 sets the clipboard) prints as `\x1b]52;c;...\x07`: visible, inert.
 * Tab and newline stay; everything else below U+0020, DEL and C1 become `\xHH` / `\u00HH`. */
export function visibleText(s: string): string {
  return s.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
