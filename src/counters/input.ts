/**
 * The input of the counter parsers: text, or the file's raw bytes.
 * @module
 */
import { latin1, type TableInput } from '../scan/bytes.js';

/** Text of a counter file, or its bytes as read (a Node `Buffer` is a `Uint8Array`). */
export type CounterInput = TableInput;

/**
 * Bytes become one character per byte (Latin-1), so a character offset is a byte offset and no byte is lost or
 * replaced. The kernel prints these files in ASCII.
 */
export function decodeCounterInput(input: CounterInput): string {
  if (typeof input === 'string') return input;
  if (!(input instanceof Uint8Array)) {
    throw new TypeError(`procnet: expected a string or a Uint8Array, got ${input === null ? 'null' : typeof input}`);
  }
  return latin1(input, 0, input.length);
}
