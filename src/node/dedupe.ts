/**
 * Dropping rows a live read repeated. The kernel hands out at most about a page per read() and finds its place
 * again on the next call, so a socket that moves in a busy hash table can be printed twice (or missed: nothing
 * can recover those).
 * @module
 */
import type { DecodedLine } from '../tables/inet.js';
import type { InetSocket, UnixSocket } from '../types.js';
import { InodeTable } from './inode-table.js';

const ZERO_POINTER = /^0+$/;

/**
 * Identity of an inet row: its inode, or for inode-less rows (TIME_WAIT, requests, orphans) the full tuple
 * (addresses, ports, state, kernel pointer). Rows are compared field by field; no key string is built.
 */
function sameInet(a: InetSocket, b: InetSocket): boolean {
  if (a.inode !== '0' || b.inode !== '0') return a.inode === b.inode;
  return (
    a.local.port === b.local.port &&
    a.remote.port === b.remote.port &&
    a.stateCode === b.stateCode &&
    a.local.address === b.local.address &&
    a.remote.address === b.remote.address &&
    a.pointer === b.pointer
  );
}

const FNV_PRIME = 0x01000193;

function hashText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** A 32-bit hash of what {@link sameInet} compares (FNV-1a, then murmur3's finaliser to spread the low bits). */
function inetHash(s: InetSocket): number {
  let h = 0x811c9dc5;
  if (s.inode !== '0') h = hashText(h, s.inode);
  else {
    h = hashText(h, s.local.address);
    h = Math.imul(h ^ s.local.port, FNV_PRIME);
    h = hashText(h, s.remote.address);
    h = Math.imul(h ^ s.remote.port, FNV_PRIME);
    h = Math.imul(h ^ s.stateCode, FNV_PRIME);
    h = hashText(h, s.pointer);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * {@link dedupeTable} for inet rows: an open-addressing table (an `Int32Array`, outside the JS heap) of each kept
 * row's hash and position, instead of a `Set` of key strings, which for a million rows cost over a second. Rows
 * are only compared when their hashes are equal.
 */
function dedupeInet(rows: InetSocket[]): number {
  const n = rows.length;
  let size = 16;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  /** Slot i: `[2i]` the row's hash, `[2i + 1]` its position + 1 in `rows` (kept rows never move); 0 = empty. */
  const slots = new Int32Array(size * 2);
  let w = 0;
  for (let r = 0; r < n; r++) {
    const s = rows[r] as InetSocket;
    const h = inetHash(s);
    let i = h & mask;
    let repeat = false;
    for (let at = slots[2 * i + 1] as number; at !== 0; at = slots[2 * i + 1] as number) {
      if (slots[2 * i] === h && sameInet(rows[at - 1] as InetSocket, s)) {
        repeat = true;
        break;
      }
      i = (i + 1) & mask;
    }
    if (repeat) continue;
    slots[2 * i] = h;
    slots[2 * i + 1] = w + 1;
    rows[w++] = s;
  }
  rows.length = w;
  return n - w;
}

/**
 * Identity of a unix row, or `null` when a repeat cannot be told from a second socket: rows after a path that
 * ended with a newline may be forged text (never merged), and embryos (inode 0) with a hidden pointer look alike.
 */
function unixKey(s: UnixSocket): string | null {
  if (s.suspicious.includes('after-newline-path')) return null;
  if (s.inode === '0' && ZERO_POINTER.test(s.pointer)) return null;
  return `${s.inode}\t${s.pointer}\t${s.path ?? ''}`;
}

/**
 * Removes repeated rows of ONE table read, in place, keeping the first of each; returns how many were dropped.
 * Inet rows are the same socket when their inode is (non-zero), else when addresses, ports, state and kernel
 * pointer all are. For unix rows the inode, pointer and path must all match; afterwards a `duplicate-inode`
 * reason that only the dropped repeats explained is removed.
 */
export function dedupeTable(rows: Array<InetSocket | UnixSocket>): number {
  if (rows.length === 0) return 0;
  if ((rows[0] as InetSocket | UnixSocket).kind !== 'unix') return dedupeInet(rows as InetSocket[]);
  return dedupeUnix(rows as UnixSocket[]);
}

function dedupeUnix(rows: UnixSocket[]): number {
  const seen = new Set<string>();
  let w = 0;
  for (let r = 0; r < rows.length; r++) {
    const s = rows[r] as UnixSocket;
    const key = unixKey(s);
    if (key !== null) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    rows[w++] = s;
  }
  const dropped = rows.length - w;
  rows.length = w;
  if (dropped > 0) clearExplainedDuplicates(rows);
  return dropped;
}

function clearExplainedDuplicates(rows: UnixSocket[]): void {
  const count = new Map<string, number>();
  for (const s of rows) if (s.inode !== '0') count.set(s.inode, (count.get(s.inode) ?? 0) + 1);
  for (const s of rows) {
    if (count.get(s.inode) === 1 && s.suspicious.includes('duplicate-inode')) {
      s.suspicious = s.suspicious.filter((r) => r !== 'duplicate-inode');
    }
  }
}

/** Scratch for {@link tupleKey}: 16-bit units. */
const KEY = new Uint16Array(64);

/** Writes a u32 as two 16-bit units at `n` of {@link KEY}; returns the next position. */
function put32(n: number, w: number): number {
  KEY[n] = w >>> 16;
  KEY[n + 1] = w & 0xffff;
  return n + 2;
}

/**
 * The identity of an inode-less line as one short flat string: the raw address words and ports, the state and the
 * pointer's words as 16-bit units (a template literal of the same values would be a tree of small strings, about
 * 600 bytes per key, which on a million-row table held over 100 MB). A pointer printed other than as `%pK` prints
 * it is appended as its text.
 */
function tupleKey(line: DecodedLine): string {
  let n = 0;
  for (let k = 0; k < 4; k++) n = put32(n, line.localWord(k));
  for (let k = 0; k < 4; k++) n = put32(n, line.remoteWord(k));
  KEY[n++] = line.localPort;
  KEY[n++] = line.remotePort;
  KEY[n++] = line.stateCode;
  const digits = line.pointerDigits;
  KEY[n++] = digits;
  if (digits !== 0) {
    n = put32(n, line.pointerHigh);
    n = put32(n, line.pointerLow);
  }
  const key = String.fromCharCode.apply(null, KEY.subarray(0, n) as unknown as number[]);
  return digits === 0 ? key + line.pointerText() : key;
}

/**
 * {@link dedupeTable}'s rule for inet rows streamed one line at a time, when earlier rows are not kept, applied to
 * the decoded line before any row is made: {@link DecodedRepeats.first} is true the first time a socket is seen.
 * A key per row instead of the rows: the inode as a number, or for inode-less rows the raw tuple as text (the same
 * words give the same addresses, so the rule is the same as on the rows).
 */
export class DecodedRepeats {
  /** The inodes seen (every inode of up to 15 digits, which is every real one). */
  readonly #inodes = new InodeTable();
  /** Longer inodes by their text, and inode-less rows by {@link tupleKey}. */
  readonly #texts = new Set<string>();
  /** How many lines were repeats. */
  dropped = 0;

  first(line: DecodedLine): boolean {
    const inode = line.inode;
    if (inode > 0) {
      if (this.#inodes.get(inode) >= 0) return this.#repeat();
      this.#inodes.set(inode, 0);
      return true;
    }
    const key = line.inodeText ?? tupleKey(line);
    if (this.#texts.has(key)) return this.#repeat();
    this.#texts.add(key);
    return true;
  }

  #repeat(): false {
    this.dropped++;
    return false;
  }
}
