/**
 * Public types of socket filters: the parsed expression, the compiled filter, and the row interface it reads.
 * @module
 */
import type { TcpState } from '../decode/tcp-state.js';
import type { InetSocket, UnixSocket } from '../types.js';

/** Which end of the socket a predicate looks at: `src`/`sport` the local end, `dst`/`dport` the remote end. */
export type SocketFilterSide = 'local' | 'remote';

/** A port comparison, as written (`eq`, `==` → `=`; `neq`, `ne` → `!=`; `gt` → `>`; `ge`, `geq` → `>=`; …). */
export type PortOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** An address family a filter can narrow a listing to. */
export type SocketFilterFamily = 'IPv4' | 'IPv6' | 'unix';

/**
 * An inet host: `[FAMILY:]ADDRESS[/PREFIX][:PORT]`, `*:PORT`, `:PORT`, `[::1]`, `10.0.0.0/8`.
 * An IPv4 host also matches IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3` by `10.0.0.0/8`); an IPv6 host, written
 * `[::ffff:10.0.0.0/104]`, matches only the mapped ones.
 */
export interface InetHostPattern {
  kind: 'inet';
  /** Family of the address, `null` when no address was given (`*`, `:22`, `any`): every address matches. */
  family: 'IPv4' | 'IPv6' | null;
  /** The address in canonical text (`10.0.0.0`, `::1`), host bits kept as written; `null` when none. */
  address: string | null;
  /** How many leading bits must match (32 or 128 when no `/PREFIX` was given; 0 when there is no address). */
  prefixLength: number;
  /** The port, or `null` for any port (none written, or `*`). */
  port: number | null;
  /** `inet:` or `inet6:` written before the host (it also narrows the listing; see {@link SocketFilter.family}). */
  familyPrefix: 'inet' | 'inet6' | null;
}

/** A unix socket name pattern: `unix:/run/*.sock`, or any host when parsed with `family: 'unix'` (ss -x). */
export interface UnixHostPattern {
  kind: 'unix';
  /** A shell pattern (`*`, `?`, `[…]`), matched without regard to ASCII case, as ss does with `fnmatch`. */
  pattern: string;
  /** `unix:` was written before it (it also narrows the listing to unix sockets). */
  familyPrefix: 'unix' | null;
}

/** `src HOST` / `dst HOST` (ss takes `=`, `==` or `eq` between them, or nothing). */
export interface SocketFilterHost {
  type: 'host';
  side: SocketFilterSide;
  host: InetHostPattern | UnixHostPattern;
}

/** `sport OP PORT` / `dport OP PORT`. */
export interface SocketFilterPort {
  type: 'port';
  side: SocketFilterSide;
  operator: PortOperator;
  /** The port; `null` (written `*`) is any port, only with `=` (always true) and `!=` (always false). */
  port: number | null;
  /** `inet:` or `inet6:` written before the port (`sport = inet6::22`); it narrows the listing. */
  familyPrefix: 'inet' | 'inet6' | null;
}

/** `autobound`: the local name was picked by the kernel (unix: unnamed, or `@` and five hex digits). */
export interface SocketFilterAutobound {
  type: 'autobound';
}

/** `A and B`, `A && B`, `A & B`, or `A B`. */
export interface SocketFilterAnd {
  type: 'and';
  left: SocketFilterExpression;
  right: SocketFilterExpression;
}

/** `A or B`, `A || B`, `A | B`. */
export interface SocketFilterOr {
  type: 'or';
  left: SocketFilterExpression;
  right: SocketFilterExpression;
}

/** `not A`, `! A`. */
export interface SocketFilterNot {
  type: 'not';
  operand: SocketFilterExpression;
}

/** A parsed filter expression (the part after ss's `state`/`exclude` words). */
export type SocketFilterExpression =
  | SocketFilterAnd
  | SocketFilterOr
  | SocketFilterNot
  | SocketFilterHost
  | SocketFilterPort
  | SocketFilterAutobound;

/**
 * Rows as a filter reads them, one field at a time by row index, so a columnar table can be matched without building
 * row objects. `SocketFilter.matches` reads plain `parseTable` rows through the same interface.
 */
export interface SocketFilterSource {
  /** `'IPv4'`, `'IPv6'` (IPv4-mapped addresses included) or `'unix'`. */
  family(index: number): SocketFilterFamily;
  /**
   * The state code ss would show: `st` for inet rows (TCP 1–11; datagram rows 1 connected, 7 unconnected); for unix
   * rows 10 listening, 1 connected, 7 unconnected, 2 connecting, 11 disconnecting (`St` mapped as ss maps it).
   */
  stateCode(index: number): number;
  /** Local port (raw sockets: the IP protocol number, as ss shows it); -1 for a row without ports (unix). */
  localPort(index: number): number;
  /** Remote port; -1 for a row without ports (unix). */
  remotePort(index: number): number;
  /**
   * Writes the local address into `into` as unsigned words, first byte in the top bits of `into[0]`
   * (127.0.0.1 is `0x7f000001`); IPv4 fills `into[0]` only. Not called for unix rows.
   */
  readLocalAddress(index: number, into: Uint32Array): void;
  /** The remote address, as {@link SocketFilterSource.readLocalAddress}. */
  readRemoteAddress(index: number, into: Uint32Array): void;
  /** Unix: the socket's name (`/run/x.sock`, `@abstract`), `null` when unnamed. Not called for inet rows. */
  localName(index: number): string | null;
  /** Unix: the peer's name, `null` when unnamed or unknown (/proc/net/unix does not show it). */
  remoteName(index: number): string | null;
}

/** Options of `parseSocketFilter`. */
export interface SocketFilterOptions {
  /**
   * The family the listing is limited to, as ss's `-4`, `-6`, `-x` (`-f inet|inet6|unix`): bare hosts are read in it
   * (`'unix'`: every host is a name pattern, and `autobound` is allowed). Default: none (inet hosts, either family).
   */
  family?: SocketFilterFamily | undefined;
  /** Service names → ports, looked up before the built-in table (for `dport = :myservice`). */
  services?: Readonly<Record<string, number>> | undefined;
}

/** A filter parsed once, to match many rows. Made by `parseSocketFilter`. */
export interface SocketFilter {
  /** The text it was parsed from. */
  readonly text: string;
  /** The states `state`/`exclude` selected, in code order (`UNKNOWN` stands for any code outside 1–11); `null` when the filter names none. */
  readonly states: readonly TcpState[] | null;
  /** The family an `inet:`, `inet6:` or `unix:` prefix narrowed the listing to (the last one written), or `null`. */
  readonly family: SocketFilterFamily | null;
  /** The expression after the state words, or `null` when there is none. */
  readonly expression: SocketFilterExpression | null;
  /** Whether a parsed row (any `parseTable` row) passes: its state, its family and the expression. */
  matches(row: InetSocket | UnixSocket): boolean;
  /** Whether row `index` of a columnar source passes. */
  matchesAt(source: SocketFilterSource, index: number): boolean;
}
