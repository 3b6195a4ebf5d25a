/**
 * The command's terminal safety beyond one line of text (`escapeTerminal`, from procnet/netstat): its messages,
 * which keep their own line breaks, and its JSON output, written to a terminal as well as to pipes.
 * @module
 */

// entry: procnet/netstat
import { escapeTerminal } from '../netstat.js';

/** {@link escapeTerminal} for each line of a message: its own line breaks are kept, every other character escaped. */
export function escapeLines(text: string): string {
  return text.split('\n').map(escapeTerminal).join('\n');
}

/**
 * What `escapeTerminal` escapes, without what `JSON.stringify` already escapes (C0, `"`, `\`, lone surrogates): DEL,
 * C1 controls, format characters, line and paragraph separators, tag characters.
 */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\u{E0000}-\u{E007F}]/gu;

/** `\uXXXX` escapes of one character (two, as a surrogate pair, above U+FFFF). */
function jsonEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * JSON text (what `JSON.stringify` returned) with every character `escapeTerminal` escapes written as a `\uXXXX`
 * escape: `JSON.stringify` leaves DEL, C1 controls, format characters and U+2028/2029 raw. The value it reads back
 * as is the same. Such characters can only be inside strings (JSON's own syntax is ASCII), so the whole text is
 * rewritten without parsing it.
 */
export function terminalSafeJson(json: string): string {
  UNSAFE_IN_JSON.lastIndex = 0;
  if (!UNSAFE_IN_JSON.test(json)) return json;
  UNSAFE_IN_JSON.lastIndex = 0;
  return json.replace(UNSAFE_IN_JSON, jsonEscape);
}
