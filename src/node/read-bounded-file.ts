/**
 * `readBoundedFileSync`: one file read under the rules procnet reads every file by (files.ts), for tools that read
 * other files of a machine or a dump the same way.
 * @module
 */
import { type FileSpec, failureText, readFileSync, resolveRootSync, SYSTEM_FILE_LIMIT } from './files.js';
import { IoFailure } from './io.js';

/** Options of `readBoundedFileSync`. */
export interface ReadBoundedFileOptions {
  /** Read only inside this folder (a dump's root): a path that leads out of it through a link is refused. */
  root?: string | undefined;
  /** Most bytes read: a larger file is refused, not cut. Default 16 MiB. */
  limit?: number | undefined;
}

/**
 * Reads a file as procnet reads the files of a machine or a dump: a regular file only (a FIFO, device, socket or
 * folder is refused without blocking on it), at most `limit` bytes, and with `root`, nothing outside that folder.
 * Throws an `Error` whose `code` is the errno code (`ENOENT`, `EACCES`, …) or the reason it was refused:
 * `NOT_A_FILE`, `FILE_TOO_LARGE`, `OUTSIDE_DUMP` or `FILE_CHANGED` (see docs/node.md, Files).
 *
 * ```ts
 * const services = readBoundedFileSync(`${dump}/etc/services`, { root: dump, limit: 1 << 20 });
 * ```
 */
export function readBoundedFileSync(path: string, options: ReadBoundedFileOptions = {}): Uint8Array {
  const limit = options.limit ?? SYSTEM_FILE_LIMIT;
  if (!(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError('procnet: limit must be a non-negative integer');
  }
  let confine: string | null = null;
  if (options.root !== undefined) {
    const root = resolveRootSync(options.root);
    if (root instanceof IoFailure) throw failed(options.root, root);
    confine = root;
  }
  const spec: FileSpec = { path, confine, limit, class: 'system' };
  const bytes = readFileSync(spec);
  if (bytes instanceof IoFailure) throw failed(path, bytes);
  return bytes;
}

function failed(path: string, failure: IoFailure): Error {
  return Object.assign(new Error(`procnet: ${failureText(path, failure)}`), { code: failure.code });
}
