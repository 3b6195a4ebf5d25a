/**
 * Metadata a dump may carry beside `net/`: `env.json` (what the capture tool writes) or an object-shaped
 * `manifest.json`. Only two facts matter to parsing: the byte order and USER_HZ of the machine.
 * @module
 */
import type { ByteOrder } from '../types.js';

/** What a dump's metadata says; `null` for what it does not say. */
export interface DumpMeta {
  byteOrder: ByteOrder | null;
  userHz: number | null;
}

/** Spellings seen in captures: `byteorder` and `USER_HZ(CLK_TCK)` (the 6.18 capture), and the option names. */
const BYTE_ORDER_KEYS = ['byteOrder', 'byteorder', 'byte_order', 'endianness'];
const USER_HZ_KEYS = ['userHz', 'USER_HZ(CLK_TCK)', 'USER_HZ', 'user_hz', 'clk_tck', 'CLK_TCK'];

function byteOrderOf(v: unknown): ByteOrder | null | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return null;
  const s = v.toLowerCase();
  if (s === 'little' || s === 'le' || s === 'little-endian' || s === 'little endian') return 'little';
  if (s === 'big' || s === 'be' || s === 'big-endian' || s === 'big endian') return 'big';
  return null;
}

/**
 * Reads the byte order and USER_HZ from a parsed metadata document (top level, or an `env` object inside it).
 * Arrays (the capture's socket manifest) say nothing. Throws a `TypeError` when a known key has a bad value.
 */
export function readDumpMeta(doc: unknown): DumpMeta {
  const out: DumpMeta = { byteOrder: null, userHz: null };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return out;
  const scopes = [doc as Record<string, unknown>];
  const env = (doc as Record<string, unknown>).env;
  if (typeof env === 'object' && env !== null && !Array.isArray(env)) scopes.push(env as Record<string, unknown>);
  for (const scope of scopes) {
    for (const k of BYTE_ORDER_KEYS) {
      const b = byteOrderOf(scope[k]);
      if (b === null) throw new TypeError(`${k} must be "little" or "big", not ${JSON.stringify(scope[k])}`);
      if (b !== undefined && out.byteOrder === null) out.byteOrder = b;
    }
    for (const k of USER_HZ_KEYS) {
      const v = scope[k];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
        throw new TypeError(`${k} must be a positive number, not ${JSON.stringify(v)}`);
      }
      if (out.userHz === null) out.userHz = v;
    }
  }
  return out;
}
