/**
 * Terminal safety: untrusted text (unix socket paths, process names) printed without control bytes.
 * @module
 */

const HEX = '0123456789abcdef';

/**
 * Escapes every C0/C1 control character, DEL, and backslash: `\n`, `\t`, `\r`, `\\`, else `\xHH` (and `\u{…}` for
 * C1 and other invisible format characters such as bidi overrides). The result contains no byte that a terminal
 * interprets. Printable text, including non-ASCII letters, is kept.
 */
export function escapeTerminal(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 0x7f) {
      rep = c === 0x0a ? '\\n' : c === 0x09 ? '\\t' : c === 0x0d ? '\\r' : `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x5c) {
      rep = '\\\\';
    } else if (
      (c >= 0x80 && c <= 0x9f) ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0xfeff
    ) {
      rep = `\\u{${c.toString(16)}}`;
    }
    if (rep !== undefined) {
      out += text.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}
