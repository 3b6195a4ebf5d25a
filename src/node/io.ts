/**
 * The I/O the readers need, as data. Each reader is a generator that yields batches of requests and gets their
 * results back; one driver runs them synchronously (`readSocketsSync`), another asynchronously with bounded
 * concurrency (`readSockets`). The logic exists once, and a batch is the unit of parallelism.
 * @module
 */
import type { ChunkSink } from '../tables/table-feed.js';
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
 * Read a table a chunk at a time into `sink` (the parsing strategy, tables/table-feed.ts), in a worker thread when
 * `worker` (the thread strategy; the async driver only: the sync driver reads whole and pushes once). Gives back
 * `null` when the table was read to its end, an {@link IoFailure}, or a {@link SinkThrew} holding what the sink
 * threw (a parse error in `'throw'` mode). The caller ends the sink.
 */
export interface ReadIntoRequest {
  op: 'readInto';
  file: FileSpec;
  sink: Pick<ChunkSink, 'push'>;
  worker: boolean;
}

/** What a {@link ReadIntoRequest}'s sink (or the worker that fed it) threw: the driver passes it back as data. */
export class SinkThrew {
  readonly thrown: unknown;
  constructor(thrown: unknown) {
    this.thrown = thrown;
  }
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
 * Starts the `/proc/<pid>/fd` pass (see fd-scan.ts) without waiting for it: the async driver runs a large one in
 * worker threads while the plan goes on (a small one runs on this thread when it is finished). Gives back an opaque handle for {@link FinishFdScanRequest}; a scan that is
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
/** The result of a started scan: the worker's, or (no worker asked for, or it could not run) the same scan here. */
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
  | ReadIntoRequest
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
  readInto: null | SinkThrew;
  readdir: string[];
  readlink: string;
  statfs: number;
  realpath: string;
  size: number;
  stat: 'dir' | 'file' | 'other';
  startFdScan: FdScanHandle;
  finishFdScan: RawFdScan;
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
