/**
 * Plain `parseTable` rows read through {@link SocketFilterSource}, one row at a time.
 * @module
 */
import type { InetSocket, UnixSocket } from '../types.js';
import { parseIpv4Text, parseIpv6Text } from './filter-address.js';
import type { SocketFilterFamily, SocketFilterSource } from './types.js';

/**
 * The state code ss gives a unix socket read from /proc/net/unix (its `unix_state_map`): a listener is LISTEN (10);
 * `St` 1 unconnected → CLOSE (7), 2 connecting → SYN-SENT (2), 3 connected → ESTABLISHED (1), 4 disconnecting →
 * CLOSING (11); anything else is unknown (0).
 */
export function unixStateCode(row: Pick<UnixSocket, 'listening' | 'stateCode'>): number {
  if (row.listening) return 10;
  switch (row.stateCode) {
    case 1:
      return 7;
    case 2:
      return 2;
    case 3:
      return 1;
    case 4:
      return 11;
    default:
      return 0;
  }
}

/** Address text → words, remembered: a table repeats few addresses, and a filter may read one several times. */
const WORDS = /* @__PURE__ */ new Map<string, Uint32Array>();
const WORDS_MAX = 4096;

/** Writes an address text (as `parseTable` writes it) into words; all zero when it does not parse. */
function readAddressText(text: string, family: 'IPv4' | 'IPv6', into: Uint32Array): void {
  let words = WORDS.get(text);
  if (words === undefined) {
    words = new Uint32Array(4);
    if (family === 'IPv4') words[0] = parseIpv4Text(text) ?? 0;
    else words.set(parseIpv6Text(text) ?? [0, 0, 0, 0]);
    if (WORDS.size >= WORDS_MAX) WORDS.clear();
    WORDS.set(text, words);
  }
  if (family === 'IPv4') into[0] = words[0]!;
  else into.set(words);
}

/** A one-row source: `row` is set before each match; the index is ignored. */
export class PlainRowSource implements SocketFilterSource {
  row: InetSocket | UnixSocket | undefined;

  family(): SocketFilterFamily {
    const row = this.row!;
    return row.kind === 'unix' ? 'unix' : row.family;
  }

  stateCode(): number {
    const row = this.row!;
    return row.kind === 'unix' ? unixStateCode(row) : row.stateCode;
  }

  localPort(): number {
    const row = this.row!;
    if (row.kind === 'unix') return -1;
    return row.protocol === 'raw' ? row.ipProtocol : row.local.port;
  }

  remotePort(): number {
    const row = this.row!;
    return row.kind === 'unix' ? -1 : row.remote.port;
  }

  readLocalAddress(_index: number, into: Uint32Array): void {
    const row = this.row as InetSocket;
    readAddressText(row.local.address, row.family, into);
  }

  readRemoteAddress(_index: number, into: Uint32Array): void {
    const row = this.row as InetSocket;
    readAddressText(row.remote.address, row.family, into);
  }

  localName(): string | null {
    const row = this.row!;
    return row.kind === 'unix' ? row.path : null;
  }

  remoteName(): string | null {
    return null;
  }
}
