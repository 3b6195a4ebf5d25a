/**
 * Dropping rows a live read repeated. The kernel hands out at most about a page per read() and finds its place
 * again on the next call, so a socket that moves in a busy hash table can be printed twice (or missed: nothing
 * can recover those).
 * @module
 */
import type { InetSocket, UnixSocket } from '../types.js';

const ZERO_POINTER = /^0+$/;

/** Identity of an inet row: its inode, or for inode-less rows (TIME_WAIT, requests, orphans) the full tuple. */
function inetKey(s: InetSocket): string {
  if (s.inode !== '0') return s.inode;
  return `${s.local.address}\t${s.local.port}\t${s.remote.address}\t${s.remote.port}\t${s.stateCode}\t${s.pointer}`;
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
  const seen = new Set<string>();
  let w = 0;
  let unixDropped = false;
  for (let r = 0; r < rows.length; r++) {
    const s = rows[r] as InetSocket | UnixSocket;
    const key = s.kind === 'unix' ? unixKey(s) : inetKey(s);
    if (key !== null) {
      if (seen.has(key)) {
        if (s.kind === 'unix') unixDropped = true;
        continue;
      }
      seen.add(key);
    }
    rows[w++] = s;
  }
  const dropped = rows.length - w;
  rows.length = w;
  if (unixDropped) clearExplainedDuplicates(rows as UnixSocket[]);
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
