/**
 * Facts about the machine procnet runs on, for live reads: byte order and USER_HZ.
 * @module
 */
import { endianness } from 'node:os';
import type { ByteOrder } from '../types.js';

/** This machine's byte order (the kernel prints addresses in it). */
export function hostByteOrder(): ByteOrder {
  return endianness() === 'LE' ? 'little' : 'big';
}

const AT_NULL = 0;
const AT_CLKTCK = 17;
const WORD4_ARCHES = new Set(['arm', 'ia32', 'mips', 'mipsel', 'ppc']);

/**
 * The value of entry `type` of `/proc/self/auxv` (pairs of unsigned longs in this machine's word size and byte
 * order), or `null` when it is not there or not a positive safe integer.
 */
export function auxvValue(auxv: Uint8Array, type: number): number | null {
  const word = WORD4_ARCHES.has(process.arch) ? 4 : 8;
  const view = new DataView(auxv.buffer, auxv.byteOffset, auxv.byteLength);
  const le = endianness() === 'LE';
  const at = (o: number) => (word === 8 ? Number(view.getBigUint64(o, le)) : view.getUint32(o, le));
  for (let o = 0; o + 2 * word <= auxv.byteLength; o += 2 * word) {
    const t = at(o);
    if (t === AT_NULL) break;
    if (t === type) {
      const v = at(o + word);
      return Number.isSafeInteger(v) && v > 0 ? v : null;
    }
  }
  return null;
}

/** USER_HZ (`sysconf(_SC_CLK_TCK)`) from the `AT_CLKTCK` entry of `/proc/self/auxv`, or `null`. */
export function userHzFromAuxv(auxv: Uint8Array): number | null {
  return auxvValue(auxv, AT_CLKTCK);
}
