/**
 * How the table shows unix rows the parser doubted (docs/unix.md, "Forged rows"). Rows with corroborating
 * evidence are flagged in words; rows that only "cannot be ruled out" are marked only with `-v` (a short marker and
 * one footnote), because an honest table has many of them (a short row after a short name). Footnotes go to
 * stderr: a script reading the table gets only the table.
 * @module
 */
import type { InetSocket, UnixSocket } from '../index.js';
import { DOCS_URL } from './docs-url.js';
import type { Paint } from './paint.js';

/** How much a row is doubted. */
export type UnixVerdict =
  /** After a name with a newline, and no process holds its inode or another row has its inode: planted text. */
  | 'forged'
  /** Not after a name, but another row repeats its inode: this is the real row a forgery copied (or a read race). */
  | 'copied'
  /** After a name with a newline and nothing else known: it could be text inside that name. */
  | 'unverified'
  | null;

/** The verdict on a row, from the reasons the parser and the live reader gave. */
export function unixVerdict(s: UnixSocket): UnixVerdict {
  const r = s.suspicious;
  if (r.length === 0) return null;
  const after = r.includes('after-newline-path');
  if (after && (r.includes('no-owner') || r.includes('duplicate-inode'))) return 'forged';
  if (after) return 'unverified';
  return r.includes('duplicate-inode') ? 'copied' : null;
}

/** A unix row with only the "cannot be ruled out" reason. */
export function isUnverifiedUnixRow(s: InetSocket | UnixSocket): boolean {
  return s.kind === 'unix' && unixVerdict(s) === 'unverified';
}

/** The short marker of an unverified row, explained by {@link unverifiedFootnote}. */
export const UNVERIFIED_MARK = '[?]';

/**
 * The text appended to a unix row in the table (empty for trusted rows, and for unverified rows unless `verbose`).
 * An unverified row that an owner scan found no process for says so: the scan was incomplete (else the row would be
 * `forged`), but it is the likelier forgery.
 */
export function unixMark(
  s: UnixSocket & { owners?: readonly unknown[] | null },
  paint: Paint,
  verbose: boolean,
): string {
  const verdict = unixVerdict(s);
  if (verdict === 'unverified' && !verbose) return '';
  switch (verdict) {
    case 'forged':
      return `  ${paint.red(`[FORGED ROW? ${s.suspicious.join(', ')}: text planted through a socket name]`)}`;
    case 'copied':
      return `  ${paint.yellow('[inode repeated by another row: duplicate-inode]')}`;
    case 'unverified':
      return s.owners?.length === 0 && s.inode !== '0'
        ? `  ${paint.yellow(`${UNVERIFIED_MARK} no readable process holds it`)}`
        : `  ${paint.yellow(UNVERIFIED_MARK)}`;
    default:
      return '';
  }
}

/** What was done to find evidence for doubtful rows: see `Listing.unixCheck`; `'programs'` when -p scanned. */
export type UnixCheck = 'done' | 'programs' | 'not-root' | 'dump' | null;

/**
 * The footnote under a table with unverified rows: what the marker means, and why the rows stay unverified.
 * `held` counts the unverified rows some process holds (when owners were looked up); `denied` the processes the
 * owner scan could not read.
 */
export function unverifiedFootnote(count: number, held: number, check: UnixCheck, denied: number): string {
  let why: string;
  if (check === 'done' || check === 'programs') {
    if (held === count) why = 'a process holds each of them';
    else if (denied > 0) why = `not proven either way: ${denied} process${denied === 1 ? '' : 'es'} could not be read`;
    else why = 'no listed process holds some of them, but a saved listing cannot prove a row planted';
  } else if (check === 'not-root') {
    why = 'run as root to check them against every process';
  } else if (check === 'dump') {
    why = 'the dump has no fds.json to check them with';
  } else {
    why = 'not checked';
  }
  const rows = count === 1 ? 'row' : `${count} rows`;
  return `${UNVERIFIED_MARK} ${rows} could be text inside the name of the socket listed before it (a name may hold a newline); usually honest (${why}). See ${DOCS_URL}cli.md.`;
}

/** The line under the table when rows are forged. */
export function forgedFootnote(count: number): string {
  return `procnet: ${count} unix row${count === 1 ? ' is' : 's are'} probably forged: text a local user planted through the name of the socket listed before it. ss -x shows the real sockets.`;
}

/**
 * Without `-v`, unverified rows are not marked; the one case worth a line is a row that no readable process holds
 * when some processes could not be read: evidence is missing, and a planted row would look like this.
 */
export function ownerlessFootnote(count: number, denied: number): string {
  const rows = count === 1 ? 'row' : 'rows';
  return `procnet: ${count} unix ${rows} could be text planted through a socket name, and no readable process holds ${count === 1 ? 'it' : 'them'} (${denied} process${denied === 1 ? '' : 'es'} could not be read); -v marks ${count === 1 ? 'it' : 'them'} [?]`;
}
