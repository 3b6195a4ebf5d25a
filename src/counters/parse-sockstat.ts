/**
 * /proc/net/sockstat and /proc/net/sockstat6.
 * @module
 */
import { counterError, emptyInputError } from './counter-error.js';
import { decodeCounter, isCounterName } from './decode-counter.js';
import { type CounterInput, decodeCounterInput } from './input.js';
import { readLinePrefix } from './line-prefix.js';
import { type CounterParseOptions, reportInvalidRow } from './options.js';
import { createTokenSpans, scanTokens } from './scan-tokens.js';
import type { CounterGroup, SockstatCounters } from './types.js';

/**
 * Parses `/proc/net/sockstat` (`sockstat_seq_show()` in `net/ipv4/proc.c`, `socket_seq_show()` in `net/socket.c`) or
 * `/proc/net/sockstat6` (`sockstat6_seq_show()` in `net/ipv6/proc.c`), or both joined: each `PROTO: key value ...` line
 * → proto → key → exact `bigint` value. Unknown protos and keys are kept.
 *
 * Scope and units differ per key (see {@link SockstatCounters}): `inuse`, `tw`, `sockets used` and `FRAG` are per network
 * namespace; `TCP orphan`, `TCP alloc` and the `mem` values are host-wide. `mem` is in pages (`getSockstatMemory`
 * converts), `FRAG memory` in bytes.
 *
 * @throws {ProcNetParseError} `MISSING_HEADER` for empty input; for an invalid line (`BAD_SEPARATOR`,
 * `BAD_COUNTER_NAME`, `COUNTER_MISMATCH`, `TRUNCATED_ROW`, `BAD_NUMBER`, `DUPLICATE_COUNTER`) unless `onInvalidRow`
 * says otherwise, in which case that line is dropped.
 */
export function parseSockstat(input: CounterInput, options?: CounterParseOptions): SockstatCounters {
  const text = decodeCounterInput(input);
  const file = options?.file ?? 'sockstat';
  const onInvalidRow = options?.onInvalidRow;
  const protos: SockstatCounters = Object.create(null);
  const tokens = createTokenSpans();
  const length = text.length;
  let sawLine = false;
  let lineNo = 0;
  let pos = 0;

  lines: while (pos < length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = length;
    lineNo++;
    const lineStart = pos;
    pos = end + 1;
    const count = scanTokens(text, lineStart, end, tokens);
    if (count === 0) continue;
    sawLine = true;

    const proto = readLinePrefix(text, tokens, lineNo, lineStart, 'protocol', file, onInvalidRow);
    if (proto === undefined) continue;
    if (count % 2 === 0) {
      const last = tokens.ends[count - 1]!;
      const spot = { line: lineNo, lineStart, start: tokens.starts[count - 1]!, end: last };
      const code = end === length ? 'TRUNCATED_ROW' : 'COUNTER_MISMATCH';
      const reason = `the last key of ${proto} has no value`;
      reportInvalidRow(onInvalidRow, counterError(code, reason, file, text, spot, proto));
      continue;
    }

    const existing = protos[proto];
    const target: CounterGroup = Object.create(null);
    for (let i = 1; i < count; i += 2) {
      const keyStart = tokens.starts[i]!;
      const keyEnd = tokens.ends[i]!;
      const keySpot = { line: lineNo, lineStart, start: keyStart, end: keyEnd };
      if (!isCounterName(text, keyStart, keyEnd)) {
        const reason = `expected a key name in the ${proto} line`;
        reportInvalidRow(onInvalidRow, counterError('BAD_COUNTER_NAME', reason, file, text, keySpot, proto));
        continue lines;
      }
      const key = text.slice(keyStart, keyEnd);
      const valueStart = tokens.starts[i + 1]!;
      const valueEnd = tokens.ends[i + 1]!;
      const value = decodeCounter(text, valueStart, valueEnd);
      if (typeof value === 'string') {
        const spot = { line: lineNo, lineStart, start: valueStart, end: valueEnd };
        reportInvalidRow(onInvalidRow, counterError('BAD_NUMBER', value, file, text, spot, `${proto}.${key}`));
        continue lines;
      }
      if (key in target || (existing !== undefined && key in existing)) {
        const reason = `key ${key} appears twice for ${proto}`;
        reportInvalidRow(
          onInvalidRow,
          counterError('DUPLICATE_COUNTER', reason, file, text, keySpot, `${proto}.${key}`),
        );
        continue lines;
      }
      target[key] = value;
    }
    if (existing === undefined) protos[proto] = target;
    else for (const key in target) existing[key] = target[key]!;
  }

  if (!sawLine) {
    throw emptyInputError(file);
  }
  return protos;
}
