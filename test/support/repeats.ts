/**
 * The rule for repeated rows of a live read, written the plain way, as the tests' reference: a row is the same socket
 * as an earlier one when its inode is (non-zero), else when addresses, ports, state and pointer all are; the first is
 * kept. procnet applies it to decoded lines (src/tables/repeats.ts); the tests check it against this.
 */
import type { InetSocket } from '../../src/types.js';

const keyOf = (s: InetSocket) =>
  s.inode !== '0'
    ? s.inode
    : `${s.local.address}\t${s.local.port}\t${s.remote.address}\t${s.remote.port}\t${s.stateCode}\t${s.pointer}`;

/** The rows without repeats, in order (a new array). */
export function withoutRepeats<T extends InetSocket>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((s) => !seen.has(keyOf(s)) && seen.add(keyOf(s)) !== undefined);
}
