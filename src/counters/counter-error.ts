/**
 * Builds a {@link ProcNetParseError} for a span of a counter file.
 * @module
 */
import { type ProcNetErrorCode, ProcNetParseError } from '../errors.js';

const MAX_TEXT = 80;

/** Cuts to 80 characters and escapes control characters (C0, DEL, C1) so the text is safe to print. */
export function excerpt(text: string, start: number, end: number): string {
  const stop = Math.min(end, start + MAX_TEXT);
  let out = '';
  for (let i = start; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 9) out += '\\t';
    else if (c === 13) out += '\\r';
    else if (c < 32 || (c >= 127 && c < 160)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += text[i];
  }
  return out;
}

/** Where an error is: the line's number and start, and the offending span (`start === end` for "nothing here"). */
export interface CounterErrorSpot {
  line: number;
  lineStart: number;
  start: number;
  end: number;
}

/** The error for `spot` in `text`; `field` is `Group.Name`, a group name, or `''`. */
export function counterError(
  code: ProcNetErrorCode,
  reason: string,
  file: string,
  text: string,
  spot: CounterErrorSpot,
  field: string,
): ProcNetParseError {
  return new ProcNetParseError({
    code,
    reason,
    file,
    line: spot.line,
    column: spot.start - spot.lineStart + 1,
    offset: spot.start,
    field,
    text: excerpt(text, spot.start, spot.end),
  });
}

/** `MISSING_HEADER` for an input with no line at all (empty, or blank lines only). These files are never empty. */
export function emptyInputError(file: string): ProcNetParseError {
  return new ProcNetParseError({
    code: 'MISSING_HEADER',
    reason: 'the input is empty',
    file,
    line: 1,
    column: 1,
    offset: 0,
    field: '',
    text: '',
  });
}
