// What `send` refuses to type: control characters, too much text, a secret value (pure).
import { scrubSecrets } from '../spec/secrets.js';

/** At most this many bytes of text per send (UTF-8). */
export const SEND_MAX_BYTES = 64 * 1024;
/** Literal text goes to tmux in pieces of at most this many bytes: tmux 3.3 refuses a command
 * over ~16 KB ("command too long", measured at 17000 bytes). */
export const SEND_CHUNK_BYTES = 8 * 1024;

const CARET: Record<number, string> = { 0x7f: '^?' };

/** `U+0003 (^C)`, `U+001B (ESC)`, `U+009B (C1 CSI)`: how a refusal names a character. */
export function describeChar(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp === 0x1b) return `${hex} (ESC)`;
  if (cp === 0x0d) return `${hex} (^M, carriage return)`;
  if (cp === 0x0a) return `${hex} (^J, line feed)`;
  if (cp === 0x09) return `${hex} (^I, tab)`;
  if (cp < 0x20) return `${hex} (^${String.fromCharCode(cp + 0x40)})`;
  if (cp === 0x7f) return `${hex} (${CARET[cp]}, DEL)`;
  return `${hex} (C1 control)`;
}

/** C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F): what a terminal reads as keys and
 * escape sequences rather than text. */
export function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/** The first control character in text, with its position, or undefined. */
export function firstControl(text: string): { cp: number; index: number } | undefined {
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isControl(cp)) return { cp, index };
    index += ch.length;
  }
  return undefined;
}

/** Characters a terminal shows as nothing (controls, format characters such as zero-width
 * spaces and direction marks): removed before looking for a secret, so that a DEL or a ZWSP
 * inside a secret does not hide it. */
const FORMAT = /\p{Cf}/u;

function stripInvisible(text: string): string {
  let out = '';
  for (const ch of text) if (!isControl(ch.codePointAt(0)!) && !FORMAT.test(ch)) out += ch;
  return out;
}

/** True when text holds one of the secret values, as is or once its invisible characters are
 * removed (and after NFKC, so full-width look-alikes count too). */
export function holdsSecret(text: string, secrets: readonly string[]): boolean {
  if (secrets.length === 0) return false;
  const forms = [text, stripInvisible(text), stripInvisible(text.normalize('NFKC'))];
  return forms.some((t) => scrubSecrets(t, secrets) !== t);
}

/** Why text cannot be typed, or undefined when it can. Never quotes the text itself. */
export function refuseText(text: string, secrets: readonly string[]): string | undefined {
  if (holdsSecret(text, secrets)) return 'the text holds a secret value of its environment';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > SEND_MAX_BYTES)
    return `the text is ${bytes} bytes, over the limit of ${SEND_MAX_BYTES} bytes (${SEND_MAX_BYTES / 1024} KiB)`;
  const c = firstControl(text);
  if (c)
    return (
      `the text holds the control character ${describeChar(c.cp)} at offset ${c.index}: ` +
      'control characters are never typed as text; send a key by name with --key (e.g. --key Enter, --key C-c)'
    );
  return undefined;
}

/** Splits text into pieces of at most `max` UTF-8 bytes, never inside a character. */
export function chunkText(text: string, max = SEND_CHUNK_BYTES): string[] {
  const out: string[] = [];
  let cur = '';
  let n = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (n + b > max && cur !== '') {
      out.push(cur);
      cur = '';
      n = 0;
    }
    cur += ch;
    n += b;
  }
  if (cur !== '') out.push(cur);
  return out;
}
