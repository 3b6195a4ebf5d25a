/** A table cut into chunks, as a stream source: for the streaming parsers' tests. */

/** Splits bytes at the given cut points (taken modulo the length + 1) into chunks. */
export function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

/** The chunks as an async iterable source. */
export async function* gen(chunks: Uint8Array[]) {
  for (const c of chunks) yield c;
}
