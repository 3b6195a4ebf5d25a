/**
 * Giving a socket its whole name back once a row planted through that name is proven forged.
 *
 * A name like `"@x\n0000000000000000: 00000002 … 31337 /fake"` prints as two lines, and the second parses as a
 * row. The parser marks such rows (`after-newline-path`) but cannot tell them from real ones. With evidence (the
 * live reader's complete owner scan finds no process holding the row's inode: `no-owner`), the row is text: its
 * physical line(s) go back into the name of the row with a path before it. The forged row itself stays in the
 * result, marked, so a tool can still see that someone planted it.
 * @module
 */
import { decodeUnixPath } from '../decode/unix.js';
import type { UnixSocket } from '../types.js';

/** True for a row proven to be text inside a name. */
export function isForgedUnixRow(row: UnixSocket): boolean {
  return row.suspicious.includes('after-newline-path') && row.suspicious.includes('no-owner');
}

/** Offsets of the start of each physical line (1-based line n starts at result[n - 1]). */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let p = bytes.indexOf(0x0a); p >= 0; p = bytes.indexOf(0x0a, p + 1)) starts.push(p + 1);
  return starts;
}

/**
 * Appends each forged row's physical lines (with the newlines between them) to the path of the row it was planted
 * through: the nearest earlier row with a path, or the one a previous forged row was folded into. `rows` must be
 * the rows parsed from `bytes`, in file order. Changes `path` and `pathBytes` of those rows in place and returns
 * how many forged rows were folded.
 */
export function reclaimForgedNames(bytes: Uint8Array, rows: UnixSocket[]): number {
  if (!rows.some(isForgedUnixRow)) return 0;
  const starts = lineStarts(bytes);
  // A final newline ends the last line; it does not start another one.
  if (starts.length > 1 && starts[starts.length - 1] === bytes.length) starts.pop();
  const lineEnd = (line: number) => {
    const next = starts[line];
    return next === undefined ? (bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length) : next - 1;
  };
  let folded = 0;
  let owner: UnixSocket | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as UnixSocket;
    if (!isForgedUnixRow(row)) {
      if (row.pathBytes !== null) owner = row;
      continue;
    }
    if (owner === undefined || owner.pathBytes === null) continue;
    // The forged row's text runs from its first line to the line before the next row.
    const nextLine = (rows[i + 1] as UnixSocket | undefined)?.line ?? starts.length + 1;
    const from = starts[row.line - 1] as number;
    const to = lineEnd(Math.min(nextLine - 1, starts.length));
    const text = bytes.subarray(from, Math.max(from, to));
    const joined = new Uint8Array(owner.pathBytes.length + 1 + text.length);
    joined.set(owner.pathBytes, 0);
    joined[owner.pathBytes.length] = 0x0a;
    joined.set(text, owner.pathBytes.length + 1);
    owner.pathBytes = joined;
    owner.path = decodeUnixPath(joined);
    folded++;
  }
  return folded;
}
