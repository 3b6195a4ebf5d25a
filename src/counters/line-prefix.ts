/**
 * The `Name:` that starts every line of snmp, netstat and sockstat.
 * @module
 */
import { counterError } from './counter-error.js';
import { isCounterName } from './decode-counter.js';
import { type CounterParseOptions, reportInvalidRow } from './options.js';
import type { TokenSpans } from './scan-tokens.js';

/**
 * The name before the `:` of the line's first token, or `undefined` after reporting why the line has none
 * (`BAD_SEPARATOR` without the colon, `BAD_COUNTER_NAME` for a name the kernel never prints).
 */
export function readLinePrefix(
  text: string,
  tokens: TokenSpans,
  line: number,
  lineStart: number,
  what: 'group' | 'protocol',
  file: string,
  onInvalidRow: CounterParseOptions['onInvalidRow'],
): string | undefined {
  const start = tokens.starts[0]!;
  const end = tokens.ends[0]!;
  const spot = { line, lineStart, start, end };
  if (text.charCodeAt(end - 1) !== 58 /* : */) {
    const reason = `expected a ${what} name and ":" at the start of the line`;
    reportInvalidRow(onInvalidRow, counterError('BAD_SEPARATOR', reason, file, text, spot, ''));
    return undefined;
  }
  if (!isCounterName(text, start, end - 1)) {
    const reason = what === 'group' ? 'not a counter group name' : 'not a protocol name';
    reportInvalidRow(onInvalidRow, counterError('BAD_COUNTER_NAME', reason, file, text, spot, ''));
    return undefined;
  }
  return text.slice(start, end - 1);
}
