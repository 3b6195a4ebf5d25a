/**
 * The I/O the readers need, as data. Each reader is a generator that yields batches of requests and gets their
 * results back; one driver runs them synchronously (`readSocketsSync`), another asynchronously with bounded
 * concurrency (`readSockets`). The logic exists once, and a batch is the unit of parallelism.
 * @module
 */
import type { ProcNetParseError } from '../errors.js';
import type { ParseOptions } from '../tables/options.js';
import type { InetSocket, InetTableKind } from '../types.js';
import type { RawFdScan } from './fd-scan.js';
import type { FileSpec } from './files.js';

/**
 * A failed request: the errno code (`ENOENT`, `EACCES`, `ESRCH`, …), or a file the file layer refused (`NOT_A_FILE`,
 * `FILE_TOO_LARGE`, `OUTSIDE_DUMP`, `FILE_CHANGED`: see files.ts) with the reason in words. Expected failures are
 * data, not throws.
 */
export class IoFailure {
  readonly code: string;
  /** Why the file was refused, as the end of a sentence that starts with its path; `undefined` for an errno. */
  readonly reason: string | undefined;
  constructor(code: string, reason?: string) {
    this.code = code;
    this.reason = reason;
  }
}

/** A whole file, checked and bounded (files.ts). */
export interface ReadRequest {
  op: 'read';
  file: FileSpec;
}
/**
 * Read an inet table and parse it. The async driver, given `worker`, reads in a worker thread and parses each
 * batch as it arrives (the kernel prints a live table about as slowly as it is parsed: the two then overlap).
 */
export interface ReadParseRequest {
  op: 'readParse';
  file: FileSpec;
  kind: InetTableKind;
  /** Parse options; in a lenient mode their `onInvalidRow` pushes to `errors`. */
  options: ParseOptions;
  errors: ProcNetParseError[];
  worker: boolean;
  /** Lazy rows (`parseTableLazy`). */
  lazy: boolean;
}
/**
 * A table read and parsed: its rows, the bad rows collected (lenient modes: `options.onInvalidRow` collects them
 * into `errors`), and what the parse threw (`'throw'` mode), if it did.
 */
export interface ParsedTable {
  readonly rows: InetSocket[];
  readonly errors: readonly ProcNetParseError[];
  readonly thrown: unknown;
  /** Set when the rows a read repeated were already dropped during the parse: how many. */
  readonly duplicatesDropped?: number;
}
export interface ReaddirRequest {
  op: 'readdir';
  path: string;
}
export interface ReadlinkRequest {
  op: 'readlink';
  path: string;
}
/** `statfs(2)` f_type (procfs is 0x9fa0). */
export interface StatfsRequest {
  op: 'statfs';
  path: string;
}
/** `realpath(3)`: the path with every link resolved (a dump's root, which nothing read may leave). */
export interface RealpathRequest {
  op: 'realpath';
  path: string;
}
/** `lstat(2)` size of a regular file; -1 for anything else (a link, a FIFO, a folder). */
export interface SizeRequest {
  op: 'size';
  path: string;
}
/** `stat(2)` reduced to the file type. */
export interface StatRequest {
  op: 'stat';
  path: string;
}

/**
 * Starts the `/proc/<pid>/fd` pass (see fd-scan.ts) without waiting for it: the async driver runs a large one in a
 * worker thread while the plan goes on. Gives back an opaque handle for {@link FinishFdScanRequest}; a scan that is
 * never finished is stopped when the plan ends.
 */
export interface StartFdScanRequest {
  op: 'startFdScan';
  root: string;
  /** The processes to scan; `null`: every process of `root`. */
  pids: readonly number[] | null;
  /** Run it in a worker thread (async driver only). */
  worker: boolean;
}
/**
 * The result of a started scan. `null`: the driver did not run it (async, no worker, or the worker failed), and the
 * plan scans with its own batches of requests.
 */
export interface FinishFdScanRequest {
  op: 'finishFdScan';
  handle: FdScanHandle;
}

/** What `startFdScan` gives back; only its driver knows what is inside. */
export interface FdScanHandle {
  readonly root: string;
  readonly pids: readonly number[] | null;
}

export type IoRequest =
  | ReadRequest
  | ReadParseRequest
  | ReaddirRequest
  | ReadlinkRequest
  | StatfsRequest
  | RealpathRequest
  | SizeRequest
  | StatRequest
  | StartFdScanRequest
  | FinishFdScanRequest;

/** What each request kind gives back on success. */
export interface IoResultOf {
  read: Uint8Array;
  readParse: ParsedTable;
  readdir: string[];
  readlink: string;
  statfs: number;
  realpath: string;
  size: number;
  stat: 'dir' | 'file' | 'other';
  startFdScan: FdScanHandle;
  finishFdScan: RawFdScan | null;
}

export type IoResult<R extends IoRequest> = IoResultOf[R['op']] | IoFailure;

/** One step of a reader: a batch of requests out, their results (same order) in. */
export type IoPlan<T> = Generator<readonly IoRequest[], T, readonly unknown[]>;

/** Runs one batch of requests of the same kind; results in order. */
export function* batch<R extends IoRequest>(
  requests: readonly R[],
): Generator<readonly IoRequest[], IoResult<R>[], readonly unknown[]> {
  if (requests.length === 0) return [];
  return (yield requests) as IoResult<R>[];
}

/** Runs one request. */
export function* request<R extends IoRequest>(
  req: R,
): Generator<readonly IoRequest[], IoResult<R>, readonly unknown[]> {
  const [r] = (yield [req]) as IoResult<R>[];
  return r as IoResult<R>;
}

export const PROC_SUPER_MAGIC = 0x9fa0;

export const isFailure = (v: unknown): v is IoFailure => v instanceof IoFailure;
