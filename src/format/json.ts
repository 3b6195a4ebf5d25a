/**
 * The JSON form of sockets: everything as is, except byte arrays (a unix socket's exact `pathBytes`), which
 * become base64 strings. `procnet/schema` reads that form back into `Uint8Array`s.
 * @module
 */

/** Base64 of some bytes (no `node:` import: `btoa` is global in Node 16+, browsers, Deno and Bun). */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  }
  return btoa(s);
}

/** Bytes of a base64 string. */
export function base64ToBytes(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A `JSON.stringify` replacer for sockets: `Uint8Array` → base64 string. `JSON.stringify(rows, socketJsonReplacer)`. */
export function socketJsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? bytesToBase64(value) : value;
}
