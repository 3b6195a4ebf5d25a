/**
 * Address and prefix-length text → 32-bit words, the way ss reads them (iproute2's `get_prefix_1`).
 * @module
 */

/** Value of one hex digit, or -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/**
 * An unsigned number as C's `strtoul(text, &end, 0)` reads it from `start`: `0x…` hex, `0…` octal, else decimal.
 * Returns the value and where it stopped, or `undefined` when no digit was read. Signs are not taken.
 */
function readUnsigned(text: string, start: number): { value: number; end: number } | undefined {
  let pos = start;
  let base = 10;
  if (text.charCodeAt(pos) === 0x30) {
    const x = text.charCodeAt(pos + 1) | 0x20;
    if (x === 0x78 && hexDigit(text.charCodeAt(pos + 2)) >= 0) {
      base = 16;
      pos += 2;
    } else {
      base = 8;
    }
  }
  let value = 0;
  const first = pos;
  for (; pos < text.length; pos++) {
    const d = hexDigit(text.charCodeAt(pos));
    if (d < 0 || d >= base) break;
    value = value * base + d;
    if (value > 0xffffffff) value = 0x100000000; // saturate: anything this big is out of every range checked here
  }
  return pos === first ? undefined : { value, end: pos };
}

/** A whole string as `strtoul(…, 0)` must read it completely, or `undefined`. */
export function parseUnsignedText(text: string): number | undefined {
  const n = readUnsigned(text, 0);
  return n !== undefined && n.end === text.length ? n.value : undefined;
}

/**
 * IPv4 text as iproute2's `get_addr_ipv4` reads it: one to four dot-separated parts, each a C number (`10`, `012`,
 * `0xa`) up to 255; missing trailing bytes are 0 (`193.233.7` is 193.233.7.0). Returns the address as one unsigned
 * word, first byte in the top bits, or `undefined`.
 */
export function parseIpv4Text(text: string): number | undefined {
  const bytes = [0, 0, 0, 0];
  let pos = 0;
  for (let i = 0; i < 4; i++) {
    const n = readUnsigned(text, pos);
    if (n === undefined || n.value > 255) return undefined;
    bytes[i] = n.value;
    if (n.end === text.length) {
      return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    }
    if (i === 3 || text.charCodeAt(n.end) !== 0x2e) return undefined;
    pos = n.end + 1;
  }
  return undefined;
}

/** A dotted quad as `inet_pton(AF_INET)` reads it (four decimal parts, no leading zeros), or `undefined`. */
function parseDottedQuad(text: string, start: number): number | undefined {
  let word = 0;
  let parts = 0;
  let pos = start;
  while (parts < 4) {
    const first = pos;
    let value = 0;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      pos++;
    }
    const digits = pos - first;
    if (digits === 0 || digits > 3 || value > 255 || (digits > 1 && text.charCodeAt(first) === 0x30)) return undefined;
    word = ((word << 8) | value) >>> 0;
    parts++;
    if (parts < 4) {
      if (text.charCodeAt(pos) !== 0x2e) return undefined;
      pos++;
    }
  }
  return pos === text.length ? word : undefined;
}

/**
 * IPv6 text as `inet_pton(AF_INET6)` reads it (`::1`, `fe80::1`, `::ffff:127.0.0.1`; no zone, no brackets).
 * Returns the four words, first group in the top bits of word 0, or `undefined`.
 */
export function parseIpv6Text(text: string): [number, number, number, number] | undefined {
  const groups: number[] = [];
  let gap = -1;
  let pos = 0;
  const length = text.length;
  if (length === 0) return undefined;
  if (text.charCodeAt(0) === 0x3a) {
    if (text.charCodeAt(1) !== 0x3a) return undefined;
    gap = 0;
    pos = 2;
    if (pos === length) return [0, 0, 0, 0];
  }
  while (pos < length) {
    // An embedded IPv4 address ends the text.
    const dot = text.indexOf('.', pos);
    const colon = text.indexOf(':', pos);
    if (dot >= 0 && (colon < 0 || dot < colon)) {
      const v4 = parseDottedQuad(text, pos);
      if (v4 === undefined || groups.length > 6) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
      pos = length;
      break;
    }
    let value = 0;
    const first = pos;
    while (pos < length) {
      const d = hexDigit(text.charCodeAt(pos));
      if (d < 0) break;
      value = value * 16 + d;
      pos++;
    }
    if (pos === first || pos - first > 4 || groups.length >= 8) return undefined;
    groups.push(value);
    if (pos === length) break;
    if (text.charCodeAt(pos) !== 0x3a) return undefined;
    pos++;
    if (text.charCodeAt(pos) === 0x3a) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      pos++;
      if (pos === length) break;
    } else if (pos === length) {
      return undefined;
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  const full =
    gap < 0 ? groups : [...groups.slice(0, gap), ...new Array<number>(8 - groups.length).fill(0), ...groups.slice(gap)];
  return [
    ((full[0]! << 16) | full[1]!) >>> 0,
    ((full[2]! << 16) | full[3]!) >>> 0,
    ((full[4]! << 16) | full[5]!) >>> 0,
    ((full[6]! << 16) | full[7]!) >>> 0,
  ];
}

/**
 * A prefix length as iproute2's `get_netmask` reads it: a C number (`24`, `0x18`), or an IPv4 netmask with
 * contiguous ones (`255.255.255.0`). Returns the length, or `undefined` (the caller checks it against the family).
 */
export function parsePrefixLength(text: string): number | undefined {
  const n = parseUnsignedText(text);
  if (n !== undefined) return n;
  const mask = parseIpv4Text(text);
  if (mask === undefined) return undefined;
  const ones = Math.clz32(~mask);
  return ones === 32 || mask << ones === 0 ? ones : undefined;
}

/** Whether the first `bits` bits of two addresses (as words) are equal. */
export function prefixMatches(a: ArrayLike<number>, b: ArrayLike<number>, bits: number): boolean {
  let i = 0;
  for (; bits >= 32; bits -= 32, i++) if (a[i] !== b[i]) return false;
  if (bits === 0) return true;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return ((a[i]! ^ b[i]!) & mask) === 0;
}
