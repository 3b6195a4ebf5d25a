/**
 * Options and results of `procnet/node`.
 * @module
 */
import type { ProcNetParseError } from '../errors.js';
import type { SocketOwner } from '../owners/types.js';
import type { InvalidRowHandler } from '../tables/options.js';
import type { ByteOrder, InetTableKind, SocketByKind, TableKind, UnixSocket } from '../types.js';
import type { ReadLimits } from './files.js';

/** The row type of each table kind: `TcpRow` for `'tcp'`, …, `UnixSocket` for `'unix'`. */
export type RowOf<K extends TableKind> = K extends InetTableKind ? SocketByKind[K] : UnixSocket;

/** Options of `readSockets` and `readSocketsSync`. */
export interface ReadSocketsOptions<K extends TableKind = TableKind> {
  /** Tables to read (the result's row type follows). Default: every inet table (`tcp` … `icmp6`) and `unix`. */
  kinds?: readonly K[] | undefined;
  /**
   * A mounted procfs (default `/proc`; `/host/proc` in a container works too) or a saved dump: a folder with
   * `net/tcp` …, with `proc/net/tcp` … (sosreport), or with `proc-net-tcp` … files (the spec capture layout).
   */
  root?: string | undefined;
  /** Read `<root>/<pid>/net/*`: the network namespace of that process instead of the reader's own. */
  pid?: number | undefined;
  /**
   * Byte order of the machine that printed the tables. Live reads: this machine's. Dumps (`'auto'`, the
   * default): `byteOrder` from `env.json`/`manifest.json` beside `net/`, else a guess from loopback and other
   * hint addresses, else `'little'`; the result's notes say which.
   */
  byteOrder?: ByteOrder | 'auto' | undefined;
  /** USER_HZ of that machine. Live: this machine's (from the process auxv), dumps: `env.json`, else 100. */
  userHz?: number | undefined;
  /**
   * `'throw'` (default): the first bad row throws a `ProcNetParseError` naming the file. `'skip'` or a function:
   * bad rows are dropped, each error is collected in the result's `errors` (and passed to the function).
   */
  onInvalidRow?: InvalidRowHandler | undefined;
  /**
   * Find the processes that hold each socket (netstat -p, ss -p). Off by default: it reads every process's
   * `/proc/<pid>/fd`. With a dump, owners come from its `fds.json`.
   */
  processes?: boolean | undefined;
  /** Most file-system requests in flight at once (async reader). Default 32. */
  concurrency?: number | undefined;
  /**
   * Size limits of the files read, in bytes: `table`, `counters`, `fdsJson`, `metadata` (see `DEFAULT_READ_LIMITS`).
   * A file over its limit is never read: a table is a `TABLE_UNREADABLE` note, `fds.json` an error.
   */
  limits?: Partial<ReadLimits> | undefined;
}

/** Options of `readNamespaces`: those of `readSockets` without `pid`, and only a live procfs as `root`. */
export type ReadNamespacesOptions<K extends TableKind = TableKind> = Omit<ReadSocketsOptions<K>, 'pid'>;

/** Why a note was written. Stable: tools may switch on it. */
export type ReadNoteCode =
  /** A requested table does not exist (IPv6 disabled, udplite gone, not in the dump). */
  | 'TABLE_MISSING'
  /** A table exists but could not be read (permissions, I/O error); `message` has the errno code. */
  | 'TABLE_UNREADABLE'
  /** How the byte order of a dump was decided (metadata, guess or default). */
  | 'BYTE_ORDER'
  /** A dump gave no USER_HZ; 100 was assumed. */
  | 'USER_HZ'
  /** `env.json` or `manifest.json` exists but is not valid JSON or has bad values; it was ignored. */
  | 'METADATA_INVALID'
  /** `processes: true` on a dump without `fds.json`: no owners. */
  | 'FDS_MISSING'
  /** Some processes' descriptors could not be read: their sockets show no owner (netstat's "not all processes could be identified"). */
  | 'PROCESSES_INCOMPLETE'
  /** procfs is mounted with `hidepid`: other users' processes are invisible, not even counted as denied. */
  | 'PROCESSES_HIDDEN'
  /** Unix rows proven to be text planted through a socket name were folded back into that name (and kept, marked). */
  | 'FORGED_UNIX_ROWS'
  /** A network namespace was found but its tables could not be read through any of its processes. */
  | 'NAMESPACE_UNREADABLE'
  /** `readCounters`: a counter file (`snmp`, `netstat`, …) does not exist; the analyses that need it are skipped. */
  | 'COUNTERS_MISSING'
  /** `readCounters`: a counter file exists but could not be read; `message` has the errno code. */
  | 'COUNTERS_UNREADABLE'
  /** `readCounters`: a host setting (sysctl, page size) could not be read; the analyses assume its default. */
  | 'SETTING_UNKNOWN'
  /** `takeSamples` on a dump: a dump is one moment, so one sample was taken instead of several. */
  | 'DUMP_ONE_SAMPLE'
  /**
   * A dump is not whole: a procnet snapshot that was not finished (its `INCOMPLETE` file), or a file that is missing
   * or has another size than the snapshot's `env.json` says it wrote.
   */
  | 'DUMP_INCOMPLETE';

/** Something the caller should know about a read that is not an error. Every note has every field. */
export interface ReadNote {
  code: ReadNoteCode;
  /** One sentence for a person. */
  message: string;
  /** The table concerned, or `null`. */
  kind: TableKind | null;
  /** The file or folder concerned, or `null`. */
  path: string | null;
}

/** Counts of the descriptor scan, so a tool can say honestly what it could not see. */
export interface ProcessScanStats {
  /** `'live'`: `/proc/<pid>/fd` was scanned. `'fds.json'`: owners came from a dump's listing. */
  source: 'live' | 'fds.json';
  /** Processes whose descriptors were read. */
  scanned: number;
  /** Processes whose descriptors could not be read (another user's, without root or CAP_SYS_PTRACE). */
  denied: number;
  /** Processes that exited during the scan. */
  vanished: number;
  /** The `hidepid` mount option of procfs when it hides processes from this reader, else `null`. */
  hidepid: string | null;
}

/**
 * A socket with where it was found and who holds it. The same two fields are set on every row of a result.
 * The row is the parser's object (an `InetSocket` or a `UnixSocket`), extended in place.
 */
export type FoundSocket<K extends TableKind = TableKind> = RowOf<K> & {
  /** Inode of the network namespace (`/proc/<pid>/ns/net` → `net:[N]`), or `null` (a dump, or unreadable). */
  namespace: string | null;
  /**
   * Every process holding the socket, by pid then fd; `[]` when none does (TIME_WAIT, request sockets,
   * children not yet accepted, orphans, kernel sockets, sockets of unreadable processes); `null` when
   * processes were not scanned.
   */
  owners: readonly SocketOwner[] | null;
};

/** What `readSockets` returns. */
export interface ReadSocketsResult<K extends TableKind = TableKind> {
  sockets: FoundSocket<K>[];
  /** Missing tables, how the byte order was decided, incomplete scans, … */
  notes: ReadNote[];
  /** Rows skipped in lenient mode (`onInvalidRow` other than `'throw'`). */
  errors: ProcNetParseError[];
  /** Repeated rows dropped (a busy table read live can repeat rows between read() calls). */
  duplicatesDropped: number;
  /** The byte order used, and where it came from. */
  byteOrder: ByteOrder;
  byteOrderSource: 'option' | 'host' | 'metadata' | 'guess' | 'default';
  /** The USER_HZ used. */
  userHz: number;
  /** Where the tables were read: `live` for a mounted procfs; `netDir` the folder (or, flat layout, the root). */
  source: { live: boolean; netDir: string };
  /** The scan's counts; `null` unless `processes: true` found a way to map owners. */
  processes: ProcessScanStats | null;
}

/** One network namespace found by `readNamespaces`. */
export interface NetNamespace {
  /** The namespace inode (`net:[N]`). */
  inode: string;
  /** Every process seen in it, ascending. */
  pids: number[];
  /** The process whose `/proc/<pid>/net` was read, or `null` if none could be. */
  readFrom: number | null;
  /** The reader's own namespace. */
  current: boolean;
}

/** What `readNamespaces` returns: every namespace's sockets, each tagged with its namespace. */
export interface ReadNamespacesResult<K extends TableKind = TableKind> extends ReadSocketsResult<K> {
  namespaces: NetNamespace[];
}
