/**
 * IPv4/IPv6 endpoints as the kernel prints them: `%08X` words in host byte order, then `:%04X` port.
 * @module
 */
import { ProcNetParseError } from '../errors.js';
import type { AddressFamily, ByteOrder, Endpoint } from '../types.js';

/** Options for {@link decodeSocketAddress} and {@link encodeSocketAddress}. */
export interface AddressOptions {
  /** Byte order of the machine that printed the text. Default `'little'`. */
  byteOrder?: ByteOrder | undefined;
}

// A direct-mapped cache of dotted quads: tables repeat a few addresses (local ones above all), and a miss costs
// no more than formatting. Keys are network-order u32s; a slot holds one key.
const V4_SLOTS = 4096;
const V4_KEYS = new Float64Array(V4_SLOTS).fill(-1);
const V4_TEXT: string[] = new Array<string>(V4_SLOTS).fill('');

/** Dotted quad of a network-order u32 (first octet in the top byte). */
function dotted(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Reverses the bytes of a u32. */
export function swap32(w: number): number {
  return (((w & 255) << 24) | (((w >>> 8) & 255) << 16) | (((w >>> 16) & 255) << 8) | (w >>> 24)) >>> 0;
}

/** IPv4 text for one `%08X` word as printed on a host of `order`. Cached: tables repeat a few addresses. */
export function ipv4FromWord(word: number, order: ByteOrder): string {
  const n = order === 'little' ? swap32(word) : word;
  const slot = (Math.imul(n, 0x9e3779b1) >>> 20) & (V4_SLOTS - 1);
  if (V4_KEYS[slot] === n) return V4_TEXT[slot] as string;
  const s = dotted(n);
  V4_KEYS[slot] = n;
  V4_TEXT[slot] = s;
  return s;
}

/** RFC 5952 text for an IPv6 address given as four network-order u32 words. */
export function ipv6FromNetworkWords(a: number, b: number, c: number, d: number): string {
  if (a === 0 && b === 0) {
    if (c === 0) {
      if (d === 0) return '::';
      if (d === 1) return '::1';
    } else if (c === 0xffff) {
      // IPv4-mapped: stays IPv6, written with a dotted quad (RFC 5952 §5).
      return `::ffff:${ipv4FromWord(d, 'big')}`;
    }
  }
  const g = [a >>> 16, a & 0xffff, b >>> 16, b & 0xffff, c >>> 16, c & 0xffff, d >>> 16, d & 0xffff];
  // Longest run of zero groups (length >= 2), first one on ties.
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && g[i] === 0) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      const len = i - runStart;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
      runStart = -1;
    }
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s !== '' && !s.endsWith(':')) s += ':';
    s += (g[i] as number).toString(16);
  }
  return s;
}

/** IPv6 text for the four `%08X` words as printed on a host of `order`. */
export function ipv6FromWords(w0: number, w1: number, w2: number, w3: number, order: ByteOrder): string {
  return order === 'little'
    ? ipv6FromNetworkWords(swap32(w0), swap32(w1), swap32(w2), swap32(w3))
    : ipv6FromNetworkWords(w0, w1, w2, w3);
}

function hexWord(hex: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = hex.charCodeAt(i);
    const d = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
    if (d < 0 || d > 15 || (c > 0x39 && c < 0x41) || Number.isNaN(d)) return -1;
    v = v * 16 + d;
  }
  return v;
}

function badAddress(hex: string, reason: string): ProcNetParseError {
  return new ProcNetParseError({
    code: 'BAD_ADDRESS',
    reason,
    line: 1,
    column: 1,
    offset: 0,
    field: 'local_address',
    text: hex.slice(0, 80),
  });
}

/**
 * Decodes one address column (`0100007F:1F90`, or the 32-digit IPv6 form) into an endpoint.
 * The port part is optional (`0100007F` alone gives port 0). Throws `ProcNetParseError` (`BAD_ADDRESS`).
 */
export function decodeSocketAddress(hex: string, options?: AddressOptions): Endpoint {
  const order = options?.byteOrder ?? 'little';
  const colon = hex.indexOf(':');
  const addr = colon < 0 ? hex : hex.slice(0, colon);
  let port = 0;
  if (colon >= 0) {
    const p = hex.slice(colon + 1);
    if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) throw badAddress(hex, 'the port must be 1 to 4 hex digits');
    port = Number.parseInt(p, 16);
  }
  if (addr.length === 8) {
    const w = hexWord(addr, 0);
    if (w < 0) throw badAddress(hex, 'an IPv4 address is 8 hex digits');
    return { address: ipv4FromWord(w, order), port, family: 'IPv4' };
  }
  if (addr.length === 32) {
    const w0 = hexWord(addr, 0);
    const w1 = hexWord(addr, 8);
    const w2 = hexWord(addr, 16);
    const w3 = hexWord(addr, 24);
    if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) throw badAddress(hex, 'an IPv6 address is 32 hex digits');
    return { address: ipv6FromWords(w0, w1, w2, w3, order), port, family: 'IPv6' };
  }
  throw badAddress(hex, `an address is 8 (IPv4) or 32 (IPv6) hex digits, not ${addr.length}`);
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** Network-order u32 of a dotted quad, or -1. */
function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) return -1;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return -1;
    const v = Number(p);
    if (v > 255) return -1;
    n = n * 256 + v;
  }
  return n;
}

/** Eight 16-bit groups of an IPv6 text address (with optional embedded dotted quad), or undefined. */
export function parseIpv6Groups(text: string): number[] | undefined {
  let s = text;
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 < 0) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    s = `${s.slice(0, lastColon + 1)}0`;
    // the '0' placeholder stands for the two groups; drop it again below
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const part of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(part)) return undefined;
      out.push(Number.parseInt(part, 16));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (head === undefined || rest === undefined) return undefined;
  if (tail.length) {
    const arr = halves.length === 2 ? rest : head;
    arr.pop();
    arr.push(...tail);
  }
  const total = head.length + rest.length;
  if (halves.length === 2) {
    if (total > 7) return undefined;
    return [...head, ...new Array<number>(8 - total).fill(0), ...rest];
  }
  return total === 8 ? head : undefined;
}

/**
 * The inverse of {@link decodeSocketAddress}: `{ address: '127.0.0.1', port: 8080 }` → `0100007F:1F90`
 * (little-endian). The family is taken from `endpoint.family` when given, else from the address text.
 */
export function encodeSocketAddress(
  endpoint: { address: string; port: number; family?: AddressFamily | undefined },
  options?: AddressOptions,
): string {
  const order = options?.byteOrder ?? 'little';
  const port = endpoint.port.toString(16).toUpperCase().padStart(4, '0');
  const family = endpoint.family ?? (endpoint.address.includes(':') ? 'IPv6' : 'IPv4');
  if (family === 'IPv4') {
    const n = parseIpv4(endpoint.address);
    if (n < 0) throw badAddress(endpoint.address, 'not a dotted-quad IPv4 address');
    return `${hex8(order === 'little' ? swap32(n) : n)}:${port}`;
  }
  const g = parseIpv6Groups(endpoint.address);
  if (g === undefined) throw badAddress(endpoint.address, 'not an IPv6 address');
  let out = '';
  for (let i = 0; i < 8; i += 2) {
    const w = (((g[i] as number) << 16) | (g[i + 1] as number)) >>> 0;
    out += hex8(order === 'little' ? swap32(w) : w);
  }
  return `${out}:${port}`;
}
