/**
 * The table output: netstat's two sections ("Active Internet connections", "Active UNIX domain sockets") with its
 * titles and columns, rendered by the core's netstat view, plus procnet's marks on doubtful unix rows and their
 * footnote. Every line is terminal-safe: untrusted text is escaped by the renderer; colour is procnet's own.
 * @module
 */
import { formatNetstatUnix, type NetstatOptions, netstatInetLayout, netstatInetLine } from '../format/netstat.js';
import type { FoundSocket } from '../node/types.js';
import type { InetSocket, UnixSocket } from '../types.js';
import type { Names } from './names.js';
import type { CliOptions } from './options.js';
import type { Paint } from './paint.js';
import type { Listing } from './read-listing.js';
import { type Selection, sectionScope } from './selection.js';
import { unixMark, unixVerdict, unverifiedFootnote } from './unix-marks.js';

/** Column header of the namespace column (`--all-namespaces`): the `net:[N]` inode. */
export const NAMESPACE_HEADER = 'Net-NS';

/**
 * The lines of one listing (no trailing newline on each), one at a time: the inet rows are laid out first and then
 * rendered as they are taken, so a big table is never held as lines.
 */
export function* renderTable(
  listing: Listing,
  sel: Selection,
  o: CliOptions,
  names: Names,
  paint: Paint,
): Generator<string, void, undefined> {
  const inet: FoundSocket[] = [];
  const unix: FoundSocket[] = [];
  for (const s of listing.sockets) (s.kind === 'unix' ? unix : inet).push(s);
  const view: NetstatOptions = {
    numeric: false,
    services: names.services,
    users: names.users,
    extend: o.extend,
    programs: o.programs,
    timers: o.timers,
    namespace: o.allNamespaces
      ? { header: NAMESPACE_HEADER, value: (row) => (row as FoundSocket).namespace ?? '-' }
      : undefined,
    suspiciousMark: (row) => unixMark(row, paint),
  };
  const scope = sectionScope(sel);
  if (sel.inet) {
    yield paint.bold(`Active Internet connections ${scope}`);
    const rows = inet as unknown as InetSocket[];
    const layout = netstatInetLayout(rows, view);
    yield paint.bold(layout.header);
    for (const s of rows) yield netstatInetLine(s, layout, view);
  }
  if (sel.unix) {
    yield paint.bold(`Active UNIX domain sockets ${scope}`);
    const rows = formatNetstatUnix(unix as unknown as UnixSocket[], view);
    rows[0] = paint.bold(rows[0] as string);
    yield* rows;
    const unverified = unix.filter((s) => unixVerdict(s as UnixSocket) === 'unverified');
    if (unverified.length > 0) {
      const held = unverified.filter((s) => (s.owners?.length ?? 0) > 0).length;
      const check = o.programs ? 'programs' : listing.unixCheck;
      yield paint.dim(unverifiedFootnote(unverified.length, held, check, listing.processes?.denied ?? 0));
    }
    const forged = unix.filter((s) => unixVerdict(s as UnixSocket) === 'forged').length;
    if (forged > 0) {
      yield paint.red(
        `${forged} unix row${forged === 1 ? ' is' : 's are'} probably forged: text a local user planted through the name of the socket listed before it. ss -x shows the real sockets.`,
      );
    }
  }
}
