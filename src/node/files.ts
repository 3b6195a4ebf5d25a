/**
 * The one way procnet/node and the command open, check, read and write files. Dumps are hostile input (a support
 * bundle, someone else's snapshot, read as root), so a read:
 *
 * - never leaves a dump through a link: the path is resolved (`realpath`), must lie inside the dump's own resolved
 *   root, is opened without following a final link (`O_NOFOLLOW`), and the opened file must be the one checked (its
 *   device and inode, and `/proc/self/fd`'s name for it). Links that stay inside the dump are followed: a sosreport
 *   keeps `proc/net -> self/net`. A live procfs (and this machine's own files) is trusted: its links are followed;
 * - opens nothing that is not a regular file: a FIFO, device, socket or folder is refused by `lstat` before it is
 *   opened (dumps), or by `fstat` after an `O_NONBLOCK` open (live), so nothing blocks and no device is read;
 * - is bounded: each class of file has a size limit ({@link DEFAULT_READ_LIMITS}); a regular file over it is refused
 *   before any read, and a file that reports no size (procfs) is read in chunks until the limit. Chunks grow as
 *   needed, each at most {@link MAX_CHUNK}: a stat size is never allocated as it is;
 * - fails as data: every failure is an {@link IoFailure} (an errno code, or one of {@link FileProblem} with the
 *   reason), returned or resolved, never thrown from an `fs` callback. The messages name the file and quote nothing
 *   of it.
 *
 * The sync and async forms run the same steps (a plan of system calls, like the readers' plans of requests), so
 * they give the same result for the same file.
 * @module
 */
import * as fs from 'node:fs';
import { IoFailure } from './io.js';

/** Size limits of the files procnet reads, in bytes (`limits` option of the readers). */
export interface ReadLimits {
  /** A socket table (`net/tcp`, …, `net/unix`). */
  table: number;
  /** A counter file (`snmp`, `netstat`, `snmp6`, `sockstat`, `sockstat6`). */
  counters: number;
  /** A dump's `fds.json`. */
  fdsJson: number;
  /** A dump's `env.json`, `manifest.json`, its copies of sysctl files and `etc/services`, `etc/passwd`. */
  metadata: number;
}

const MiB = 1024 * 1024;

/**
 * The default limits: a table of 10 million sockets (a `tcp6` row is about 180 bytes) fits in `table`; the others
 * are hundreds of times the size of real files (`snmp` and `netstat` are a few KiB; `fds.json` of a snapshot takes
 * about 70 bytes per socket descriptor, so 256 MiB is over 3 million).
 */
export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  table: 2048 * MiB,
  counters: 1 * MiB,
  fdsJson: 256 * MiB,
  metadata: 16 * MiB,
});

/** The limit of every other file: a live process's `comm`, `cmdline`, `status`, `auxv`, sysctls, `mountinfo`. */
export const SYSTEM_FILE_LIMIT = 16 * MiB;

/** The largest chunk read into one buffer; a larger file is read in several and joined. */
export const MAX_CHUNK = 64 * MiB;

/** The largest text JSON.parse can be given (V8's longest string, one byte a character at best). */
const MAX_TEXT = (1 << 29) - 24;
/** The largest Buffer. */
const MAX_BYTES = 4096 * MiB;

/** Checks a `limits` option and returns every limit (the defaults where not given). */
export function checkLimits(limits: Partial<ReadLimits> | undefined): ReadLimits {
  if (limits === undefined) return DEFAULT_READ_LIMITS;
  if (typeof limits !== 'object' || limits === null) throw new TypeError('procnet: limits must be an object');
  const out = { ...DEFAULT_READ_LIMITS };
  for (const key of Object.keys(limits)) {
    if (!Object.hasOwn(DEFAULT_READ_LIMITS, key)) throw new TypeError(`procnet: unknown limit ${JSON.stringify(key)}`);
    const v = limits[key as keyof ReadLimits];
    if (v === undefined) continue;
    const max = key === 'table' ? MAX_BYTES : MAX_TEXT;
    if (!(Number.isSafeInteger(v) && v > 0 && v <= max)) {
      throw new RangeError(`procnet: limits.${key} must be a positive integer of at most ${max} bytes`);
    }
    out[key as keyof ReadLimits] = v;
  }
  return out;
}

/** What a file is to procnet: which limit applies, and how a message names it. */
export type FileClass = keyof ReadLimits | 'system';

const NOUNS: Readonly<Record<FileClass, string>> = {
  table: 'a table',
  counters: 'a counter file',
  fdsJson: 'fds.json',
  metadata: 'a metadata file',
  system: 'a system file',
};

/** One file to read. */
export interface FileSpec {
  path: string;
  /** The resolved root of the dump the file belongs to: nothing outside it is read. `null`: a trusted file system. */
  confine: string | null;
  /** Most bytes read; a larger file is refused (`FILE_TOO_LARGE`). */
  limit: number;
  class: FileClass;
  /** First buffer size for a file that reports no size (procfs). */
  hint?: number | undefined;
}

/** A file of a trusted file system (a live procfs, this machine's own files): links followed, still checked. */
export function trustedFile(
  path: string,
  cls: FileClass,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
  hint?: number,
): FileSpec {
  return { path, confine: null, limit: cls === 'system' ? SYSTEM_FILE_LIMIT : limits[cls], class: cls, hint };
}

/** A file of the dump whose resolved root is `root`: nothing outside that root is read. */
export function dumpFile(path: string, root: string, cls: FileClass, limits: ReadLimits, hint?: number): FileSpec {
  return { ...trustedFile(path, cls, limits, hint), confine: root };
}

/**
 * Why the file layer refused a file (the {@link IoFailure} code; the other failures carry an errno code):
 * - `NOT_A_FILE`: a FIFO, device, socket or folder where a regular file is expected;
 * - `FILE_TOO_LARGE`: over its size limit;
 * - `OUTSIDE_DUMP`: its path leads, through a link, out of the dump's root;
 * - `FILE_CHANGED`: the file opened is not the one checked (something was swapped in meanwhile).
 */
export type FileProblem = 'NOT_A_FILE' | 'FILE_TOO_LARGE' | 'OUTSIDE_DUMP' | 'FILE_CHANGED';

/** A sentence about a file that could not be read, naming it: `net/tcp is a FIFO, not a regular file (NOT_A_FILE)`. */
export function failureText(path: string, f: IoFailure): string {
  if (f.reason !== undefined) return `${path} ${f.reason} (${f.code})`;
  if (f.code === 'ENOENT') return `${path} does not exist`;
  return `${path} could not be read (${f.code})`;
}

const refuse = (code: FileProblem, reason: string) => new IoFailure(code, reason);

function typeName(st: fs.Stats): string | null {
  if (st.isFile()) return null;
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function notAFile(st: fs.Stats): IoFailure | null {
  const what = typeName(st);
  return what === null ? null : refuse('NOT_A_FILE', `is ${what}, not a regular file: it was not read`);
}

function tooLarge(spec: FileSpec, size: number | null): IoFailure {
  const limit = spec.limit;
  const how = spec.class === 'system' ? '' : ` (limits.${spec.class})`;
  const what = size === null ? 'is larger' : `has ${size} bytes, more`;
  return refuse(
    'FILE_TOO_LARGE',
    `${what} than the ${limit}-byte limit of ${NOUNS[spec.class]}${how}: it was not read`,
  );
}

/** True when `path` is `root` or inside it (both resolved). */
function inside(path: string, root: string): boolean {
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(`${root}/`);
}

// --- the system calls, as data -------------------------------------------------------------------------------------

type SysCall =
  | { op: 'realpath'; path: string }
  | { op: 'lstat'; path: string }
  | { op: 'open'; path: string; flags: number }
  | { op: 'fstat'; fd: number }
  | { op: 'read'; fd: number; buf: Uint8Array; off: number; len: number }
  | { op: 'close'; fd: number }
  | { op: 'readlink'; path: string };

interface SysResults {
  realpath: string;
  lstat: fs.Stats;
  open: number;
  fstat: fs.Stats;
  read: number;
  close: undefined;
  readlink: string;
}

/** A failed call's errno code (`ENOENT`, …; `EIO` when there is none, as for a RangeError). */
class SysError {
  readonly code: string;
  constructor(e: unknown) {
    this.code = (e as NodeJS.ErrnoException | null)?.code ?? 'EIO';
  }
}

/** A sequence of system calls: each yielded call's result (or {@link SysError}) comes back in. */
type SysPlan<T> = Generator<SysCall, T, unknown>;

function* sys<C extends SysCall>(c: C): Generator<SysCall, SysResults[C['op']] | SysError, unknown> {
  return (yield c) as SysResults[C['op']] | SysError;
}

function callSync(c: SysCall): unknown {
  try {
    switch (c.op) {
      case 'realpath':
        return fs.realpathSync.native(c.path);
      case 'lstat':
        return fs.lstatSync(c.path);
      case 'open':
        return fs.openSync(c.path, c.flags);
      case 'fstat':
        return fs.fstatSync(c.fd);
      case 'read':
        return fs.readSync(c.fd, c.buf, c.off, c.len, null);
      case 'close':
        return fs.closeSync(c.fd);
      case 'readlink':
        return fs.readlinkSync(c.path);
    }
  } catch (e) {
    return new SysError(e);
  }
}

function callAsync(c: SysCall): Promise<unknown> {
  return new Promise((resolve) => {
    const cb = (err: NodeJS.ErrnoException | null, value?: unknown) => resolve(err ? new SysError(err) : value);
    // A call that throws before it starts (a RangeError for a bad length) resolves as a failure too.
    try {
      switch (c.op) {
        case 'realpath':
          return fs.realpath.native(c.path, cb);
        case 'lstat':
          return fs.lstat(c.path, cb);
        case 'open':
          return fs.open(c.path, c.flags, cb);
        case 'fstat':
          return fs.fstat(c.fd, cb);
        case 'read':
          return fs.read(c.fd, c.buf, c.off, c.len, null, cb);
        case 'close':
          return fs.close(c.fd, (err) => cb(err));
        case 'readlink':
          return fs.readlink(c.path, cb);
      }
    } catch (e) {
      resolve(new SysError(e));
    }
  });
}

function runSync<T>(plan: SysPlan<T>): T {
  let step = plan.next();
  while (!step.done) step = plan.next(callSync(step.value));
  return step.value;
}

async function runAsync<T>(plan: SysPlan<T>): Promise<T> {
  let step = plan.next();
  while (!step.done) step = plan.next(await callAsync(step.value));
  return step.value;
}

// --- reading -------------------------------------------------------------------------------------------------------

/** A file opened and checked: read it, then {@link closeFile} it. */
export interface OpenFile {
  readonly fd: number;
  /** `fstat` size: the file's length (regular files), 0 for procfs files. */
  readonly size: number;
  readonly spec: FileSpec;
}

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;

function* openPlan(spec: FileSpec): SysPlan<OpenFile | IoFailure> {
  let path = spec.path;
  let checked: fs.Stats | null = null;
  if (spec.confine !== null) {
    const real = yield* sys({ op: 'realpath', path });
    if (real instanceof SysError) return new IoFailure(real.code);
    if (!inside(real, spec.confine))
      return refuse('OUTSIDE_DUMP', 'leads out of the dump (through a link): it was not read');
    const st = yield* sys({ op: 'lstat', path: real });
    if (st instanceof SysError) return new IoFailure(st.code);
    const bad = notAFile(st);
    if (bad !== null) return bad;
    if (st.size > spec.limit) return tooLarge(spec, st.size);
    path = real;
    checked = st;
  }
  const fd = yield* sys({ op: 'open', path, flags: O_RDONLY | O_NONBLOCK | (checked === null ? 0 : O_NOFOLLOW) });
  if (fd instanceof SysError) {
    if (fd.code === 'ENXIO') return refuse('NOT_A_FILE', 'is a socket, not a regular file: it was not read');
    if (fd.code === 'ELOOP' && checked !== null)
      return refuse('FILE_CHANGED', 'became a link while it was opened: it was not read');
    return new IoFailure(fd.code);
  }
  const failed = (f: IoFailure): SysPlan<IoFailure> =>
    (function* () {
      yield* sys({ op: 'close', fd });
      return f;
    })();
  const st = yield* sys({ op: 'fstat', fd });
  if (st instanceof SysError) return yield* failed(new IoFailure(st.code));
  const bad = notAFile(st);
  if (bad !== null) return yield* failed(bad);
  if (st.size > spec.limit) return yield* failed(tooLarge(spec, st.size));
  if (checked !== null) {
    // The file opened must be the one checked: same device and inode, and (where /proc is mounted) the same name.
    const same = st.dev === checked.dev && st.ino === checked.ino;
    const name = same ? yield* sys({ op: 'readlink', path: `/proc/self/fd/${fd}` }) : null;
    if (!same || (typeof name === 'string' && name !== path)) {
      return yield* failed(refuse('FILE_CHANGED', 'was replaced while it was opened: it was not read'));
    }
  }
  return { fd, size: st.size, spec };
}

/** Fills `buf` from `fd`; the bytes read (fewer at the end of the file). */
function* fillPlan(fd: number, buf: Uint8Array): SysPlan<number | SysError> {
  let len = 0;
  while (len < buf.length) {
    const n = yield* sys({ op: 'read', fd, buf, off: len, len: buf.length - len });
    if (n instanceof SysError) return n;
    if (n === 0) break;
    len += n;
  }
  return len;
}

/** Reads the rest of an open file, at most its limit: chunks of growing size, joined once at the end. */
function* readAllPlan(file: OpenFile): SysPlan<Uint8Array | IoFailure> {
  const { fd, spec } = file;
  const chunks: Uint8Array[] = [];
  let total = 0;
  // A regular file's size makes the first chunk (one read to the end); procfs files report 0.
  let size = Math.min(file.size > 0 ? file.size + 1 : (spec.hint ?? 65536), MAX_CHUNK);
  for (;;) {
    // Never more than one byte past the limit: that byte is how a file over it shows.
    const buf = Buffer.allocUnsafe(Math.min(size, spec.limit + 1 - total));
    const n = yield* fillPlan(fd, buf);
    if (n instanceof SysError) return new IoFailure(n.code);
    total += n;
    if (total > spec.limit) return tooLarge(spec, null);
    chunks.push(buf.subarray(0, n));
    if (n < buf.length) break;
    size = Math.min(size * 2, MAX_CHUNK);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, total);
}

function* readFilePlan(spec: FileSpec): SysPlan<Uint8Array | IoFailure> {
  const file = yield* openPlan(spec);
  if (file instanceof IoFailure) return file;
  const bytes = yield* readAllPlan(file);
  yield* sys({ op: 'close', fd: file.fd });
  return bytes;
}

/** A dump root with every link resolved (what {@link dumpFile} confines reads to), or why it cannot be. */
export function resolveRootSync(path: string): string | IoFailure {
  const real = runSync(sys({ op: 'realpath', path }));
  return real instanceof SysError ? new IoFailure(real.code) : real;
}

/** Opens and checks a file (see the module's rules); close it with {@link closeFile}. */
export function openFileSync(spec: FileSpec): OpenFile | IoFailure {
  return runSync(openPlan(spec));
}

/** {@link openFileSync}, asynchronous. Never rejects. */
export function openFile(spec: FileSpec): Promise<OpenFile | IoFailure> {
  return runAsync(openPlan(spec));
}

/** Closes a file opened by {@link openFile}; errors are ignored (nothing was written). */
export function closeFile(file: OpenFile): Promise<void> {
  return runAsync(sys({ op: 'close', fd: file.fd })).then(() => undefined);
}

/** Closes a file opened by {@link openFileSync}. */
export function closeFileSync(file: OpenFile): void {
  runSync(sys({ op: 'close', fd: file.fd }));
}

/** The whole file, checked and bounded, or why not. */
export function readFileSync(spec: FileSpec): Uint8Array | IoFailure {
  return runSync(readFilePlan(spec));
}

/** {@link readFileSync}, asynchronous, with the same result. Never rejects. */
export function readFile(spec: FileSpec): Promise<Uint8Array | IoFailure> {
  return runAsync(readFilePlan(spec));
}

/**
 * An open file's bytes in chunks of `chunk` bytes (the last shorter), for a stream: at most the file's limit, then
 * the iterator ends with its `FILE_TOO_LARGE` failure. It ends with `null` at the end of the file, or the failure of a
 * read. The file is closed when the iterator ends or is returned early.
 */
export async function* fileChunks(
  file: OpenFile,
  chunk = 65536,
): AsyncGenerator<Uint8Array, IoFailure | null, undefined> {
  const { fd, spec } = file;
  let total = 0;
  try {
    for (;;) {
      const buf = new Uint8Array(Math.min(chunk, spec.limit + 1 - total));
      const n = await runAsync(fillPlan(fd, buf));
      if (n instanceof SysError) return new IoFailure(n.code);
      total += n;
      if (total > spec.limit) return tooLarge(spec, null);
      if (n > 0) yield n === buf.length ? buf : buf.subarray(0, n);
      if (n < buf.length) return null;
    }
  } finally {
    await closeFile(file);
  }
}

/** The error a limit check gives for a file found to be over it while it was read elsewhere (a worker). */
export function tooLargeFailure(spec: FileSpec): IoFailure {
  return tooLarge(spec, null);
}

// --- writing -------------------------------------------------------------------------------------------------------

const { O_WRONLY, O_CREAT, O_EXCL, O_DIRECTORY } = fs.constants;

/**
 * Creates `path` (it must not exist; a link there is not followed), mode 0600 whatever the umask, writes `data`,
 * and flushes it to disk (`fsync`) before closing. Throws the errno error.
 */
export function writeNewFileSync(path: string, data: Uint8Array | string): void {
  const fd = fs.openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let at = 0;
    while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates the folder `path` (not its parents), mode 0700 whatever the umask. Throws the errno error. */
export function makePrivateDirSync(path: string): void {
  fs.mkdirSync(path, 0o700);
  fs.chmodSync(path, 0o700);
}

/** Creates a new folder `<prefix>XXXXXX` (random suffix), mode 0700; returns its path. Throws the errno error. */
export function makeTempDirSync(prefix: string): string {
  const dir = fs.mkdtempSync(prefix);
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** Renames `from` to `to` (`rename(2)`: atomic; replaces an empty folder or a file, never follows a link at `to`). */
export function renameSync(from: string, to: string): void {
  fs.renameSync(from, to);
}

/** Removes a file (not a folder). Throws the errno error. */
export function removeFileSync(path: string): void {
  fs.unlinkSync(path);
}

/** Removes a folder this process made and everything in it (links inside are removed, never followed). */
export function removeTreeSync(path: string): void {
  fs.rmSync(path, { recursive: true, force: true });
}

/** Flushes a folder's entries to disk (after files were created or renamed in it). */
export function syncDirSync(path: string): void {
  const fd = fs.openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
