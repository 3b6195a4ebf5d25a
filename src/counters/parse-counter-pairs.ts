/**
 * The header/value line-pair grammar of /proc/net/snmp and /proc/net/netstat (`net/ipv4/proc.c`):
 *
 * ```
 * Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ...
 * Tcp: 1 200 120000 -1 ...
 * ```
 *
 * Names are zipped with values by position; a group printed in several pairs (`IcmpMsg`) is merged.
 * @module
 */
import { counterError, emptyInputError } from './counter-error.js';
import { decodeCounter, isCounterName } from './decode-counter.js';
import { type CounterInput, decodeCounterInput } from './input.js';
import { readLinePrefix } from './line-prefix.js';
import { type CounterParseOptions, reportInvalidRow } from './options.js';
import { createTokenSpans, scanTokens, type TokenSpans } from './scan-tokens.js';
import type { CounterGroup, CounterGroups } from './types.js';

/** A header line waiting for its value line. */
interface PendingHeader {
  group: string;
  line: number;
  lineStart: number;
}

/** Parses header/value line pairs into groups. `kind` names the file in errors unless `options.file` does. */
export function parseCounterPairs(input: CounterInput, kind: string, options?: CounterParseOptions): CounterGroups {
  const text = decodeCounterInput(input);
  const file = options?.file ?? kind;
  const onInvalidRow = options?.onInvalidRow;
  const groups: CounterGroups = Object.create(null);
  const length = text.length;
  let header = createTokenSpans();
  let tokens = createTokenSpans();
  let pending: PendingHeader | undefined;
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

    const group = readLinePrefix(text, tokens, lineNo, lineStart, 'group', file, onInvalidRow);
    if (group === undefined) continue;

    if (pending !== undefined && pending.group === group) {
      const truncated = end === length;
      addPair(text, file, groups, group, pending, header, { line: lineNo, lineStart, truncated }, tokens, options);
      pending = undefined;
      continue;
    }
    if (pending !== undefined) reportUnpaired(text, file, pending, header, group, options);
    const swap = header;
    header = tokens;
    tokens = swap;
    pending = { group, line: lineNo, lineStart };
  }

  if (!sawLine) {
    throw emptyInputError(file);
  }
  if (pending !== undefined) reportUnpaired(text, file, pending, header, undefined, options);
  return groups;
}

/** A header line whose next non-blank line has another group (`next`), or no next line at all (`undefined`). */
function reportUnpaired(
  text: string,
  file: string,
  pending: PendingHeader,
  header: TokenSpans,
  next: string | undefined,
  options: CounterParseOptions | undefined,
): void {
  const spot = { line: pending.line, lineStart: pending.lineStart, start: header.starts[0]!, end: header.ends[0]! };
  const first = header.count > 1 ? text.charCodeAt(header.starts[1]!) : 0;
  const looksLikeValues = first === 45 /* - */ || (first >= 48 && first <= 57);
  let reason: string;
  if (next === undefined) {
    reason = looksLikeValues
      ? `the last line is a value line of group ${pending.group} with no header line before it`
      : `the input ends after the header line of group ${pending.group}, without its value line`;
  } else {
    reason = looksLikeValues
      ? `a value line of group ${pending.group} has no header line before it`
      : `the header line of group ${pending.group} is followed by group ${next}, not by its value line`;
  }
  const code = next === undefined && !looksLikeValues ? 'TRUNCATED_ROW' : 'COUNTER_MISMATCH';
  reportInvalidRow(options?.onInvalidRow, counterError(code, reason, file, text, spot, pending.group));
}

/** Where the value line is, and whether it is the input's last line with no `\n` after it. */
interface ValueLine {
  line: number;
  lineStart: number;
  truncated: boolean;
}

/** Zips one header line with its value line into `groups[group]`; an invalid pair is reported and adds nothing. */
function addPair(
  text: string,
  file: string,
  groups: CounterGroups,
  group: string,
  head: PendingHeader,
  header: TokenSpans,
  valueLine: ValueLine,
  values: TokenSpans,
  options: CounterParseOptions | undefined,
): void {
  const onInvalidRow = options?.onInvalidRow;
  const names = header.count - 1;
  const count = values.count - 1;
  if (names !== count) {
    const reason = `group ${group} has ${names} names in its header line but ${count} values`;
    if (count > names) {
      const start = values.starts[names + 1]!;
      const spot = { line: valueLine.line, lineStart: valueLine.lineStart, start, end: values.ends[names + 1]! };
      reportInvalidRow(onInvalidRow, counterError('COUNTER_MISMATCH', reason, file, text, spot, group));
    } else {
      const end = values.ends[count]!;
      const spot = { line: valueLine.line, lineStart: valueLine.lineStart, start: end, end };
      const code = valueLine.truncated ? 'TRUNCATED_ROW' : 'COUNTER_MISMATCH';
      reportInvalidRow(onInvalidRow, counterError(code, reason, file, text, spot, group));
    }
    return;
  }

  const existing = groups[group];
  const target: CounterGroup = Object.create(null);
  for (let i = 1; i <= names; i++) {
    const nameStart = header.starts[i]!;
    const nameEnd = header.ends[i]!;
    const nameSpot = { line: head.line, lineStart: head.lineStart, start: nameStart, end: nameEnd };
    if (!isCounterName(text, nameStart, nameEnd)) {
      const reason = `not a counter name in the header line of group ${group}`;
      reportInvalidRow(onInvalidRow, counterError('BAD_COUNTER_NAME', reason, file, text, nameSpot, group));
      return;
    }
    const name = text.slice(nameStart, nameEnd);
    const valueStart = values.starts[i]!;
    const valueEnd = values.ends[i]!;
    const value = decodeCounter(text, valueStart, valueEnd);
    if (typeof value === 'string') {
      const spot = { line: valueLine.line, lineStart: valueLine.lineStart, start: valueStart, end: valueEnd };
      reportInvalidRow(onInvalidRow, counterError('BAD_NUMBER', value, file, text, spot, `${group}.${name}`));
      return;
    }
    if (name in target || (existing !== undefined && name in existing)) {
      const reason = `counter ${name} appears twice in group ${group}`;
      reportInvalidRow(
        onInvalidRow,
        counterError('DUPLICATE_COUNTER', reason, file, text, nameSpot, `${group}.${name}`),
      );
      return;
    }
    target[name] = value;
  }
  if (existing === undefined) {
    groups[group] = target;
    return;
  }
  for (const name in target) existing[name] = target[name]!;
}
