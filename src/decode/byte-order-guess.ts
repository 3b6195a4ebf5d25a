/**
 * Guessing the byte order of a dump of unknown origin from the addresses in it (spec §10).
 * @module
 */
import { type TableInput, toBytes } from '../scan/bytes.js';
import { parseTable } from '../tables/parse-table.js';
import type { ByteOrder, InetSocket, InetTableKind } from '../types.js';

/** The verdict of {@link guessByteOrder} and the evidence behind it. */
export interface ByteOrderGuess {
  /** `null` when there is no evidence or the evidence disagrees: keep your default then. */
  byteOrder: ByteOrder | null;
  /** Addresses that are loopback, IPv4-mapped or link-local only when read little-endian. */
  little: number;
  /** The same, read big-endian. */
  big: number;
}

/** 127.0.0.0/8, ::1, ::ffff:a.b.c.d and fe80::/10: addresses almost every table has and that look wrong reversed. */
function isHint(address: string): boolean {
  const c0 = address.charCodeAt(0);
  if (c0 === 0x31) return address.startsWith('127.');
  if (c0 === 0x3a) return address === '::1' || (address.startsWith('::ffff:') && address.includes('.'));
  if (c0 === 0x66) return /^fe[89ab][0-9a-f]:/.test(address);
  return false;
}

/** Bytes of each table the guess reads. */
const GUESS_BYTES = 64 * 1024;

/**
 * Guesses the byte order of the machine that printed some inet tables, from addresses that are only plausible
 * in one order: loopback `0100007F` (little) vs `7F000001` (big), `::1`, IPv4-mapped `::ffff:` and link-local
 * `fe80::`. All-zero addresses carry no evidence. Rows that do not parse are ignored.
 *
 * ```ts
 * guessByteOrder([{ kind: 'tcp', input: text }]) // { byteOrder: 'big', little: 0, big: 4 }
 * ```
 */
export function guessByteOrder(tables: Iterable<{ kind: InetTableKind; input: TableInput }>): ByteOrderGuess {
  let little = 0;
  let big = 0;
  for (const { kind, input } of tables) {
    // The first rows carry as much evidence as the whole table: read at most 64 KiB (cut at a newline).
    const all = toBytes(input);
    const cut = all.length > GUESS_BYTES ? all.lastIndexOf(0x0a, GUESS_BYTES) + 1 : all.length;
    const bytes = cut > 0 ? all.subarray(0, cut) : all;
    let asLittle: InetSocket[];
    let asBig: InetSocket[];
    try {
      asLittle = parseTable(kind, bytes, { byteOrder: 'little', onInvalidRow: 'skip' });
      asBig = parseTable(kind, bytes, { byteOrder: 'big', onInvalidRow: 'skip' });
    } catch {
      continue; // not a table of that kind (UNKNOWN_HEADER throws in every mode): no evidence
    }
    const n = Math.min(asLittle.length, asBig.length);
    for (let i = 0; i < n; i++) {
      const l = asLittle[i] as InetSocket;
      const b = asBig[i] as InetSocket;
      for (const [x, y] of [
        [l.local.address, b.local.address],
        [l.remote.address, b.remote.address],
      ] as const) {
        const hx = isHint(x);
        const hy = isHint(y);
        if (hx && !hy) little++;
        else if (hy && !hx) big++;
      }
    }
  }
  const byteOrder = little > 0 && big === 0 ? 'little' : big > 0 && little === 0 ? 'big' : null;
  return { byteOrder, little, big };
}
