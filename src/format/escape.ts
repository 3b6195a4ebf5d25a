/**
 * Terminal safety: untrusted text (unix socket paths, process names) printed without control bytes.
 * @module
 */

const HEX = '0123456789abcdef';

/**
 * Backslash (escaped so that escapes stay unambiguous), and the characters a terminal may act on, or that change how
 * the text around them reads without being seen:
 * - `Cc`: C0 controls, DEL and C1 controls (`U+009B` is CSI on terminals that read C1);
 * - `Cf`: format characters, as the engine's Unicode version lists them: the bidi controls (`U+061C`, `U+200E`,
 *   `U+200F`, `U+202A`–`U+202E`, `U+2066`–`U+2069`), zero-width and invisible characters (`U+00AD`,
 *   `U+200B`–`U+200D`, `U+2060`–`U+2064`, `U+FEFF`), and others such as `U+0600`–`U+0605` and `U+FFF9`–`U+FFFB`;
 * - `Zl`, `Zp`: `U+2028` and `U+2029`, which some terminals and editors break lines at;
 * - lone surrogates (`Cs`), which reach a terminal as U+FFFD;
 * - the whole tag block `U+E0000`–`U+E007F` (its unassigned code points included).
 */
const UNSAFE_OR_BACKSLASH = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u{E0000}-\u{E007F}\\]/gu;

function escapeOne(ch: string): string {
  const c = ch.codePointAt(0) as number;
  if (c === 0x5c) return '\\\\';
  if (c === 0x0a) return '\\n';
  if (c === 0x09) return '\\t';
  if (c === 0x0d) return '\\r';
  if (c < 0x20 || c === 0x7f) return `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
  return `\\u{${c.toString(16)}}`;
}

/**
 * Escapes every character a terminal could act on or that is invisible, and backslash: `\n`, `\t`, `\r`, `\\`,
 * `\xHH` for the other C0 controls and DEL, `\u{…}` for C1 controls, format characters (bidi controls, zero-width
 * characters, the soft hyphen), line and paragraph separators, lone surrogates and tag characters. The result
 * contains nothing that a terminal interprets. Printable text, including non-ASCII letters and emoji, is kept.
 */
export function escapeTerminal(text: string): string {
  UNSAFE_OR_BACKSLASH.lastIndex = 0;
  if (!UNSAFE_OR_BACKSLASH.test(text)) return text;
  UNSAFE_OR_BACKSLASH.lastIndex = 0;
  return text.replace(UNSAFE_OR_BACKSLASH, escapeOne);
}
