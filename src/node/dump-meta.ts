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

/**
 * The JSON document in a dump file's bytes. A file that is not JSON is a `TypeError` that quotes nothing of it
 * (`JSON.parse`'s own message quotes the text around the error).
 */
export function parseDumpJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (e) {
    const at = /at position (\d+)/.exec(e instanceof Error ? e.message : '');
    throw new TypeError(`not valid JSON${at === null ? '' : ` (at character ${at[1]})`}`);
  }
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

/** A value of a metadata file in a message: its JSON, at most 40 characters of it. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** `obj[key]` when it is the object's own field (never one of Object.prototype's, whatever the document says). */
export function own(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The objects of a metadata document that hold facts: the top level, and an `env` object inside it. */
export function metaScopes(doc: unknown): object[] {
  if (!isObject(doc)) return [];
  const env = own(doc, 'env');
  return isObject(env) ? [doc, env] : [doc];
}

/**
 * Reads the byte order and USER_HZ from a parsed metadata document (top level, or an `env` object inside it).
 * Arrays (the capture's socket manifest) say nothing. Throws a `TypeError` when a known key has a bad value.
 */
export function readDumpMeta(doc: unknown): DumpMeta {
  const out: DumpMeta = { byteOrder: null, userHz: null };
  for (const scope of metaScopes(doc)) {
    for (const k of BYTE_ORDER_KEYS) {
      const b = byteOrderOf(own(scope, k));
      if (b === null) throw new TypeError(`${k} must be "little" or "big", not ${shown(own(scope, k))}`);
      if (b !== undefined && out.byteOrder === null) out.byteOrder = b;
    }
    for (const k of USER_HZ_KEYS) {
      const v = own(scope, k);
      if (v === undefined) continue;
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
        throw new TypeError(`${k} must be a positive number, not ${shown(v)}`);
      }
      if (out.userHz === null) out.userHz = v;
    }
  }
  return out;
}
