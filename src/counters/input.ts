/**
 * The input of the counter parsers: text, or the file's raw bytes.
 * @module
 */

/** Text of a counter file, or its bytes as read (a Node `Buffer` is a `Uint8Array`). */
export type CounterInput = string | Uint8Array;

const CHUNK = 0x2000;

/**
 * Bytes become one character per byte (Latin-1), so a character offset is a byte offset and no byte is lost or
 * replaced. The kernel prints these files in ASCII.
 */
export function decodeCounterInput(input: CounterInput): string {
  if (typeof input === 'string') return input;
  if (!(input instanceof Uint8Array)) {
    throw new TypeError(`procnet: expected a string or a Uint8Array, got ${input === null ? 'null' : typeof input}`);
  }
  let text = '';
  for (let i = 0; i < input.length; i += CHUNK) {
    text += String.fromCharCode(...input.subarray(i, i + CHUNK));
  }
  return text;
}
