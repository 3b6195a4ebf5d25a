/**
 * /proc/net/snmp6 and /proc/net/dev_snmp6/<ifname>.
 * @module
 */
import { counterError, emptyInputError } from './counter-error.js';
import { decodeCounter, isCounterName } from './decode-counter.js';
import { type CounterInput, decodeCounterInput } from './input.js';
import { type CounterParseOptions, reportInvalidRow } from './options.js';
import { createTokenSpans, scanTokens } from './scan-tokens.js';
import type { Snmp6Counters } from './types.js';

/**
 * Parses `/proc/net/snmp6` or `/proc/net/dev_snmp6/<ifname>` (`snmp6_seq_show()` in `net/ipv6/proc.c`): one counter per
 * line, the name padded to 32 columns, a TAB, the decimal value. Returns name → exact `bigint` value, in file order.
 *
 * A line that is not `name value` (a stray `Mode: 644`, a name without a value, a second value, a repeated name) is an
 * invalid row: thrown as a {@link ProcNetParseError}, or dropped and reported per `onInvalidRow`.
 *
 * @throws {ProcNetParseError} `MISSING_HEADER` for empty input; `BAD_COUNTER_NAME`, `COUNTER_MISMATCH`,
 * `TRUNCATED_ROW`, `BAD_NUMBER` or `DUPLICATE_COUNTER` for an invalid line unless `onInvalidRow` says otherwise.
 */
export function parseSnmp6(input: CounterInput, options?: CounterParseOptions): Snmp6Counters {
  const text = decodeCounterInput(input);
  const file = options?.file ?? 'snmp6';
  const onInvalidRow = options?.onInvalidRow;
  const counters: Snmp6Counters = Object.create(null);
  const tokens = createTokenSpans();
  const length = text.length;
  let sawLine = false;
  let lineNo = 0;
  let pos = 0;

  while (pos < length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = length;
    lineNo++;
    const lineStart = pos;
    pos = end + 1;
    const count = scanTokens(text, lineStart, end, tokens);
    if (count === 0) continue;
    sawLine = true;

    const nameStart = tokens.starts[0]!;
    const nameEnd = tokens.ends[0]!;
    if (!isCounterName(text, nameStart, nameEnd)) {
      const spot = { line: lineNo, lineStart, start: nameStart, end: tokens.ends[count - 1]! };
      const reason = 'not a counter line (a counter name, then its value)';
      reportInvalidRow(onInvalidRow, counterError('BAD_COUNTER_NAME', reason, file, text, spot, ''));
      continue;
    }
    const name = text.slice(nameStart, nameEnd);
    if (count !== 2) {
      if (count === 1) {
        const spot = { line: lineNo, lineStart, start: nameEnd, end: nameEnd };
        const code = end === length ? 'TRUNCATED_ROW' : 'COUNTER_MISMATCH';
        reportInvalidRow(onInvalidRow, counterError(code, 'the counter has no value', file, text, spot, name));
      } else {
        const spot = { line: lineNo, lineStart, start: tokens.starts[2]!, end: tokens.ends[count - 1]! };
        const reason = 'expected one value after the counter name';
        reportInvalidRow(onInvalidRow, counterError('COUNTER_MISMATCH', reason, file, text, spot, name));
      }
      continue;
    }
    const valueStart = tokens.starts[1]!;
    const valueEnd = tokens.ends[1]!;
    const value = decodeCounter(text, valueStart, valueEnd);
    if (typeof value === 'string') {
      const spot = { line: lineNo, lineStart, start: valueStart, end: valueEnd };
      reportInvalidRow(onInvalidRow, counterError('BAD_NUMBER', value, file, text, spot, name));
      continue;
    }
    if (name in counters) {
      const spot = { line: lineNo, lineStart, start: nameStart, end: nameEnd };
      const reason = `counter ${name} appears twice`;
      reportInvalidRow(onInvalidRow, counterError('DUPLICATE_COUNTER', reason, file, text, spot, name));
      continue;
    }
    counters[name] = value;
  }

  if (!sawLine) {
    throw emptyInputError(file);
  }
  return counters;
}
