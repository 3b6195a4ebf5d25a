/**
 * Options shared by the counter parsers, and how an invalid row is reported.
 * @module
 */
import type { ProcNetParseError } from '../errors.js';

/**
 * What to do with a row that cannot be parsed (for snmp and netstat a row is one header/value line pair, for snmp6 and
 * sockstat one line): `'throw'` (the default) throws the {@link ProcNetParseError}; `'skip'` drops the row silently;
 * a function is called with the error, and the row is dropped.
 */
export type InvalidRowHandler = 'throw' | 'skip' | ((error: ProcNetParseError) => void);

/** Options of `parseSnmp`, `parseNetstat`, `parseSnmp6` and `parseSockstat`. */
export interface CounterParseOptions {
  /** See {@link InvalidRowHandler}. Default `'throw'`. */
  onInvalidRow?: InvalidRowHandler | undefined;
  /** Name used in error messages and `error.file` (default: the file kind, e.g. `'snmp'`). */
  file?: string | undefined;
}

/** Hands `error` to the caller's handler; throws it unless the handler is `'skip'` or a function. */
export function reportInvalidRow(handler: InvalidRowHandler | undefined, error: ProcNetParseError): void {
  if (handler === 'skip') return;
  if (typeof handler === 'function') {
    handler(error);
    return;
  }
  throw error;
}
