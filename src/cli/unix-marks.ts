/**
 * How the table shows unix rows the parser doubted (docs/unix.md, "Forged rows"). Rows with corroborating
 * evidence are flagged in words; rows that only "cannot be ruled out" get a short marker and one footnote, because
 * an honest table has many of them (a short row after a short name).
 * @module
 */
import type { InetSocket, UnixSocket } from '../types.js';
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

/** The text appended to a unix row in the table (empty for trusted rows). */
export function unixMark(s: UnixSocket, paint: Paint): string {
  switch (unixVerdict(s)) {
    case 'forged':
      return `  ${paint.red(`[FORGED ROW? ${s.suspicious.join(', ')}: text planted through a socket name]`)}`;
    case 'copied':
      return `  ${paint.yellow('[inode repeated by another row: duplicate-inode]')}`;
    case 'unverified':
      return `  ${paint.yellow(UNVERIFIED_MARK)}`;
    default:
      return '';
  }
}

/**
 * The footnote under a table with unverified rows: what the marker means, and whether processes were checked.
 * `check` says what was done to find evidence (see `Listing.unixCheck`).
 */
export function unverifiedFootnote(count: number, check: 'done' | 'not-root' | 'dump' | 'programs' | null): string {
  const rows = count === 1 ? '1 row follows' : `${count} rows follow`;
  let why: string;
  if (check === 'done' || check === 'programs') {
    why = 'the descriptor scan could not rule it out (some processes could not be read, or a process holds the inode)';
  } else if (check === 'not-root') {
    why = 'run as root to check them against every process (a complete scan proves a planted row)';
  } else if (check === 'dump') {
    why = "a dump's fds.json cannot prove a row planted";
  } else {
    why = 'no check was made';
  }
  return `${UNVERIFIED_MARK} ${rows} a socket name with a newline and could be text inside that name (unverified, usually honest; ${why}). See docs/unix.md.`;
}
