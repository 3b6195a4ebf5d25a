/**
 * A map from socket inodes to small non-negative integers, as open addressing over typed arrays: what the streamed
 * readers (a repeat check per line) and the owner mapping (a chain head per inode) need for 100k+ inodes, where a
 * `Map` or `Set` keyed by inode text costs several times more.
 * @module
 */

/**
 * inode → value (an integer in [0, 2^31)), growing as it fills. Inodes are integers of at most 15 digits, exact
 * in a double (every real one; a longer one is the caller's to key by its text).
 */
export class InodeTable {
  #keys: Float64Array;
  #values: Int32Array;
  #mask: number;
  #count = 0;

  /** `expected`: how many inodes it will likely hold (it grows past that). */
  constructor(expected = 2048) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.#keys = new Float64Array(size).fill(-1);
    this.#values = new Int32Array(size);
    this.#mask = size - 1;
  }

  /** The value of `inode`, or -1 when it is not in the table. */
  get(inode: number): number {
    const i = this.#slot(inode);
    return this.#keys[i] === inode ? (this.#values[i] as number) : -1;
  }

  /** Sets the value of `inode`. */
  set(inode: number, value: number): void {
    const i = this.#slot(inode);
    if (this.#keys[i] !== inode) {
      this.#keys[i] = inode;
      if (++this.#count * 2 > this.#keys.length) {
        this.#values[i] = value;
        this.#grow();
        return;
      }
    }
    this.#values[i] = value;
  }

  /** Where `inode` is, or the empty slot where it goes. */
  #slot(inode: number): number {
    const keys = this.#keys;
    const mask = this.#mask;
    let i = (Math.imul(inode >>> 0, 0x9e3779b1) ^ Math.imul(Math.floor(inode / 4294967296), 0x85ebca6b)) & mask;
    for (;;) {
      const at = keys[i] as number;
      if (at === inode || at === -1) return i;
      i = (i + 1) & mask;
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const values = this.#values;
    this.#keys = new Float64Array(keys.length * 2).fill(-1);
    this.#values = new Int32Array(keys.length * 2);
    this.#mask = keys.length * 2 - 1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number;
      if (k === -1) continue;
      const j = this.#slot(k);
      this.#keys[j] = k;
      this.#values[j] = values[i] as number;
    }
  }
}

/** The value of the decimal digits `text[from, to)` (leading zeros allowed) when at most 15 of them, else -1. */
export function inodeNumber(text: string, from = 0, to = text.length): number {
  while (from < to - 1 && text.charCodeAt(from) === 0x30) from++;
  if (to <= from || to - from > 15) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
