/**
 * The text of `/proc` symlinks: `/proc/<pid>/fd/<n>` (`socket:[12345]`) and `/proc/<pid>/ns/net` (`net:[4026531840]`).
 * @module
 */

const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;
/** Inodes are `%lu` today and may become u64: at most 20 decimal digits. */
const MAX_DIGITS = 20;

/** The decimal digits between `prefix[` and the closing `]`, without leading zeros; null if the link is not that. */
function bracketed(link: string, prefix: string): string | null {
  const n = link.length;
  const p = prefix.length;
  if (n < p + 3 || link.charCodeAt(n - 1) !== RBRACKET || link.charCodeAt(p) !== LBRACKET) return null;
  if (!link.startsWith(prefix)) return null;
  let start = p + 1;
  const end = n - 1;
  if (end - start > MAX_DIGITS) return null;
  for (let i = start; i < end; i++) {
    const c = link.charCodeAt(i);
    if (c < ZERO || c > NINE) return null;
  }
  while (start < end && link.charCodeAt(start) === ZERO) start++;
  // All zeros: inode 0 is "no file", never a real socket or namespace.
  if (start === end) return null;
  return link.slice(start, end);
}

/**
 * The socket inode named by a `/proc/<pid>/fd/<n>` link, as the decimal string the tables print in their
 * `inode` column, or `null` when the descriptor is not a socket.
 *
 * ```ts
 * parseFdLink('socket:[12345]') // '12345'
 * parseFdLink('pipe:[12345]')   // null
 * parseFdLink('/dev/null')      // null
 * ```
 */
export function parseFdLink(link: string): string | null {
  return bracketed(link, 'socket:');
}

/**
 * The namespace inode named by a `/proc/<pid>/ns/<type>` link (`net:[4026531840]` → `'4026531840'`), or `null`
 * when the link is not a namespace of that type.
 */
export function parseNamespaceLink(link: string, type = 'net'): string | null {
  return bracketed(link, `${type}:`);
}
