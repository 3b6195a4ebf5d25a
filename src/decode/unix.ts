/**
 * The columns of /proc/net/unix that need decoding: `Type` (socket type), `St` (`socket_state`), `Flags`
 * (`__SO_ACCEPTCON`) and `Path` (bytes to text).
 * @module
 */
import { latin1 } from '../scan/bytes.js';
import type { UnixSocketState, UnixSocketType } from '../types.js';

/** `Flags` bit the kernel sets on a listening socket (`__SO_ACCEPTCON`, `include/uapi/linux/net.h`). */
export const SO_ACCEPTCON = 0x10000;

/**
 * Longest `Path` the kernel can print, in bytes: `sun_path` holds 108 bytes. A pathname prints without its final
 * NUL (at most 108 bytes); an abstract name prints its leading NUL as `@` (also at most 108).
 */
export const UNIX_PATH_MAX = 108;

const TYPES: readonly UnixSocketType[] = ['unknown', 'stream', 'dgram', 'raw', 'rdm', 'seqpacket'];
const STATES: readonly UnixSocketState[] = ['free', 'unconnected', 'connecting', 'connected', 'disconnecting'];

/** `Type` code → name (`1` stream, `2` dgram, `5` seqpacket; `3` raw and `4` rdm are not offered by AF_UNIX). */
export function decodeUnixSocketType(code: number): UnixSocketType {
  return code >= 1 && code <= 5 ? (TYPES[code] as UnixSocketType) : 'unknown';
}

/** `St` code → name (`socket_state`: `0` free … `4` disconnecting). Other codes are `'unknown'`, never an error. */
export function decodeUnixSocketState(code: number): UnixSocketState {
  return code >= 0 && code <= 4 ? (STATES[code] as UnixSocketState) : 'unknown';
}

const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * `Path` bytes → readable text: UTF-8, invalid bytes become U+FFFD, a leading BOM is kept. NUL bytes (printed raw by
 * old kernels) become `@`, as current kernels print them, so one name reads the same from any kernel.
 */
export function decodeUnixPath(bytes: Uint8Array): string {
  let ascii = true;
  let nul = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c >= 0x80) ascii = false;
    else if (c === 0) nul = true;
  }
  const text = ascii ? latin1(bytes, 0, bytes.length) : utf8.decode(bytes);
  return nul ? text.replaceAll('\0', '@') : text;
}
