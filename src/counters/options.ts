/**
 * Options shared by the counter parsers. Invalid rows are handled as in the table parsers (for snmp and netstat a
 * row is one header/value line pair, for snmp6 and sockstat one line).
 * @module
 */
import type { ProcNetParseError } from '../errors.js';
import { type InvalidRowHandler, reportInvalid } from '../tables/options.js';

export type { InvalidRowHandler };

/** Options of `parseSnmp`, `parseNetstat`, `parseSnmp6` and `parseSockstat`. */
export interface CounterParseOptions {
  /** See {@link InvalidRowHandler}. Default `'throw'`. */
  onInvalidRow?: InvalidRowHandler | undefined;
  /** Name used in error messages and `error.file` (default: the file kind, e.g. `'snmp'`). */
  file?: string | undefined;
}

/** Hands `error` to the caller's handler (default `'throw'`). */
export function reportInvalidRow(handler: InvalidRowHandler | undefined, error: ProcNetParseError): void {
  reportInvalid(handler ?? 'throw', error);
}
