/**
 * The I/O the readers need, as data. Each reader is a generator that yields batches of requests and gets their
 * results back; one driver runs them synchronously (`readSocketsSync`), another asynchronously with bounded
 * concurrency (`readSockets`). The logic exists once, and a batch is the unit of parallelism.
 * @module
 */

/** A failed request: the errno code (`ENOENT`, `EACCES`, `ESRCH`, …). Expected failures are data, not throws. */
export class IoFailure {
  readonly code: string;
  constructor(code: string) {
    this.code = code;
  }
}

/** Whole file into one Buffer (`size`: first buffer size; /proc files report size 0, so it only guides). */
export interface ReadRequest {
  op: 'read';
  path: string;
  size: number;
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
/** `stat(2)` reduced to the file type. */
export interface StatRequest {
  op: 'stat';
  path: string;
}

export type IoRequest = ReadRequest | ReaddirRequest | ReadlinkRequest | StatfsRequest | StatRequest;

/** What each request kind gives back on success. */
export interface IoResultOf {
  read: Uint8Array;
  readdir: string[];
  readlink: string;
  statfs: number;
  stat: 'dir' | 'file' | 'other';
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
