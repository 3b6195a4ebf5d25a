/**
 * Dropping rows a live read repeated: procnet/node's one rule for it. The kernel hands out at most about a page per
 * read() and finds its place again on the next call, so a socket that moves in a busy hash table can be printed
 * twice (or missed: nothing can recover those). Inet lines are checked as they are decoded, before any row or
 * column is made ({@link InetRepeats}); unix rows, which the parser reads whole, by {@link dropUnixRepeats}.
 * @module
 */

import { latin1 } from '../scan/bytes.js';
import type { UnixSocket } from '../types.js';
import type { InetLineDecoder } from './inet-decode.js';
import { InodeTable } from './inode-table.js';

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
function tupleKey(r: InetLineDecoder): string {
  const d = r.d;
  let n = 0;
  n = put32(n, d.la0);
  n = put32(n, d.la1);
  n = put32(n, d.la2);
  n = put32(n, d.la3);
  n = put32(n, d.ra0);
  n = put32(n, d.ra1);
  n = put32(n, d.ra2);
  n = put32(n, d.ra3);
  KEY[n++] = d.lport;
  KEY[n++] = d.rport;
  KEY[n++] = d.st;
  const digits = d.ptrDigits;
  KEY[n++] = digits;
  if (digits !== 0) {
    n = put32(n, d.ptrHi);
    n = put32(n, d.ptrLo);
  }
  const key = String.fromCharCode.apply(null, KEY.subarray(0, n) as unknown as number[]);
  return digits === 0 ? key + latin1(r.buf, d.ptrStart, d.ptrEnd) : key;
}

/**
 * The repeats of one inet table read: a line is the same socket as an earlier one when its inode is (non-zero), or,
 * for inode-less lines (TIME_WAIT, requests, orphans), when addresses, ports, state and kernel pointer all are. A
 * key per line instead of the rows: the inode as a number, or for inode-less lines the raw tuple (the same words
 * give the same addresses, so the rule is the same as on rows). Memory is that key per socket, whatever else is
 * kept, so a streamed read stays nearly flat.
 */
export class InetRepeats {
  /** The inodes seen (every inode of up to 15 digits, which is every real one). */
  readonly #inodes = new InodeTable();
  /** Longer inodes by their text, and inode-less lines by {@link tupleKey}. */
  readonly #texts = new Set<string>();
  /** How many lines were repeats. */
  dropped = 0;

  /** True the first time the socket of the decoder's current (decoded) line is seen. */
  first(r: InetLineDecoder): boolean {
    const d = r.d;
    const text = d.inodeText;
    if (text === undefined && d.inode > 0) {
      if (this.#inodes.get(d.inode) >= 0) return this.#repeat();
      this.#inodes.set(d.inode, 0);
      return true;
    }
    const key = text ?? tupleKey(r);
    if (this.#texts.has(key)) return this.#repeat();
    this.#texts.add(key);
    return true;
  }

  #repeat(): false {
    this.dropped++;
    return false;
  }
}

const ZERO_POINTER = /^0+$/;

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
 * Removes repeated rows of ONE unix table read, in place, keeping the first of each; returns how many were dropped.
 * Rows are the same socket when inode, pointer and path all match; afterwards a `duplicate-inode` reason that only
 * the dropped repeats explained is removed.
 */
export function dropUnixRepeats(rows: UnixSocket[]): number {
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
