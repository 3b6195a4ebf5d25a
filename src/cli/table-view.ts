/**
 * The table output: netstat's two sections ("Active Internet connections", "Active UNIX domain sockets") with its
 * titles and columns, rendered by the core's netstat view, plus procnet's marks on doubtful unix rows (their
 * footnotes go to stderr), coloured states on a terminal, and the owners' command lines with `--cmdline`. Every
 * line is terminal-safe: untrusted text is escaped by the renderer; colour is procnet's own.
 * @module
 */

// entry: procnet/netstat
import type { InetColumns, InetSocket, InetTableKind, TableKind, UnixSocket } from '../index.js';
import {
  formatNetstatInetLine,
  formatNetstatUnix,
  ipv4RowsFitLayout,
  layoutNetstatInet,
  type NetstatInetLayout,
  type NetstatOptions,
} from '../netstat.js';
import type { FoundSocket } from '../node/index.js';
import type { Names } from './names.js';
import { NetstatLineWriter, netstatBytesFit, netstatBytesRoom } from './netstat-bytes.js';
import type { CliOptions } from './options.js';
import type { Output } from './output.js';
import type { Paint } from './paint.js';
import { type Listing, readListing } from './read-listing.js';
import { rowFilter, type Selection, sectionScope } from './selection.js';
import { handRows, openColumnStream, type StreamReport } from './stream-rows.js';
import { forgedFootnote, ownerlessFootnote, unixMark, unixVerdict, unverifiedFootnote } from './unix-marks.js';

/** Column header of the namespace column (`--all-namespaces`): the `net:[N]` inode. */
export const NAMESPACE_HEADER = 'Net-NS';

/** The renderer's options for this command line. */
function netstatView(o: CliOptions, names: Names, paint: Paint): NetstatOptions {
  return {
    numeric: false,
    services: names.services,
    users: names.users,
    extend: o.extend,
    programs: o.programs,
    timers: o.timers,
    namespace: o.allNamespaces
      ? { header: NAMESPACE_HEADER, value: (row) => (row as FoundSocket).namespace ?? '-' }
      : undefined,
    suspiciousMark: (row) => unixMark(row, paint, o.verbose),
  };
}

/** The program column's header, and the one `--cmdline` shows in its place (the same width). */
const PROGRAM_HEADER = 'PID/Program name';
const CMDLINE_HEADER = 'PID/Command line';

/** A header line, with the program column renamed under `--cmdline`. */
function headerLine(header: string, o: CliOptions, paint: Paint): string {
  return paint.bold(o.cmdline ? header.replace(PROGRAM_HEADER, CMDLINE_HEADER) : header);
}

/** Where the State column starts in a line of the inet table (the widths of the columns before it). */
function inetStateColumn(layout: NetstatInetLayout, view: NetstatOptions): number {
  return (view.namespace ? 11 : 0) + layout.proto + 1 + 7 + 7 + layout.local + 1 + layout.remote + 1;
}

/** Where the State column starts in a line of the unix table. */
function unixStateColumn(view: NetstatOptions): number {
  return (view.namespace ? 11 : 0) + 'unix  '.length + 7 + 12 + 11;
}

/** `line` with the state word at `column` (padded to `width`) in its colour; unchanged without colour. */
function paintState(line: string, column: number, width: number, paint: Paint): string {
  if (!paint.enabled) return line;
  const cell = line.slice(column, column + width);
  const word = cell.trimEnd();
  if (word === '' || word.includes(' ')) return line;
  return line.slice(0, column) + paint.state(word) + line.slice(column + word.length);
}

/** One inet row's line, its state coloured. */
function inetLine(s: InetSocket, layout: NetstatInetLayout, view: NetstatOptions, paint: Paint): string {
  return paintState(formatNetstatInetLine(s, layout, view), inetStateColumn(layout, view), 11, paint);
}

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
  const view = netstatView(o, names, paint);
  const scope = sectionScope(sel);
  if (sel.inet) {
    yield paint.bold(`Active Internet connections ${scope}`);
    const rows = inet as unknown as InetSocket[];
    const layout = layoutNetstatInet(rows, view);
    yield headerLine(layout.header, o, paint);
    for (const s of rows) yield inetLine(s, layout, view, paint);
  }
  if (sel.unix) yield* unixSection(unix, sel, o, view, paint);
}

function* unixSection(
  unix: FoundSocket[],
  sel: Selection,
  o: CliOptions,
  view: NetstatOptions,
  paint: Paint,
): Generator<string, void, undefined> {
  yield paint.bold(`Active UNIX domain sockets ${sectionScope(sel)}`);
  const rows = formatNetstatUnix(unix as unknown as UnixSocket[], view);
  yield headerLine(rows[0] as string, o, paint);
  const column = unixStateColumn(view);
  for (let i = 1; i < rows.length; i++) yield paintState(rows[i] as string, column, 13, paint);
}

/**
 * The footnotes of the unix rows a listing shows, for stderr: forged rows, and the rows that could be planted text
 * (with `-v`, what their `[?]` means; without it, only those no readable process holds when some could not be read).
 */
export function unixFootnotes(unix: readonly FoundSocket[], listing: Listing, o: CliOptions): string[] {
  const out: string[] = [];
  const forged = unix.filter((s) => s.kind === 'unix' && unixVerdict(s) === 'forged').length;
  if (forged > 0) out.push(forgedFootnote(forged));
  const unverified = unix.filter((s) => s.kind === 'unix' && unixVerdict(s) === 'unverified');
  if (unverified.length === 0) return out;
  const denied = listing.processes?.denied ?? 0;
  if (o.verbose) {
    const held = unverified.filter((s) => (s.owners?.length ?? 0) > 0).length;
    const check = o.programs ? 'programs' : listing.unixCheck;
    out.push(unverifiedFootnote(unverified.length, held, check, denied));
  } else if (denied > 0) {
    const ownerless = unverified.filter((s) => s.owners?.length === 0 && s.inode !== '0').length;
    if (ownerless > 0) out.push(ownerlessFootnote(ownerless, denied));
  }
  return out;
}

const isIpv6 = (kind: TableKind) => kind.endsWith('6');

/** Bytes of output gathered before they are handed to the stream. */
const OUT_BYTES = 256 * 1024;

/**
 * The lines of the IPv4 TCP table written as bytes straight from its columns (see `NetstatLineWriter`): no row object
 * and no string per socket. The selection's listening/connected filter is applied to the columns: a TCP socket
 * listens when it has no remote port (`isListening`). Each batch is handed to the output before the next is read.
 */
function batchBytes(layout: NetstatInetLayout, sel: Selection, out: Output): (c: InetColumns) => Promise<void> {
  let writer: NetstatLineWriter | undefined;
  const room = netstatBytesRoom(layout);
  const listening = sel.rows === 'all' ? null : sel.rows === 'listening';
  // Lines are written into `buf` from `pos`; `[start, pos)` is not yet handed to the output, and what was handed
  // over is never written again (the stream may still hold it), so a new buffer is needed only when one is full.
  const full: Uint8Array[] = [];
  let buf = Buffer.allocUnsafe(OUT_BYTES);
  let start = 0;
  let pos = 0;
  return async (c) => {
    writer ??= new NetstatLineWriter(c.byteOrder === 'little', layout);
    const remotePort = c.remotePort;
    for (let i = 0; i < c.length; i++) {
      if (listening !== null && (remotePort[i] === 0) !== listening) continue;
      if (pos + room > buf.length) {
        if (pos > start) full.push(buf.subarray(start, pos));
        buf = Buffer.allocUnsafe(OUT_BYTES);
        start = 0;
        pos = 0;
      }
      pos = writer.line(c, i, buf, pos);
    }
    if (pos > start) full.push(buf.subarray(start, pos));
    start = pos;
    for (const bytes of full.splice(0)) await out.writeBytes(bytes);
  };
}

/**
 * The table output written as the tables are read, when it can be exactly what {@link renderTable} would print:
 * without `-p` and `--all-namespaces` (both need whole tables), and when no IPv4 row can widen the address columns
 * (numeric ports, or no service name longer than 7). The IPv6 tables are read first and held (they set the
 * widths); every IPv4 row is then written as soon as its batch is parsed, so the kernel's printing of a big table,
 * the parse and the output overlap, and nothing is kept per IPv4 row. The unix section is read whole, after.
 * Returns what the reads could not do, or `null`, having written nothing, when this command line is not streamed.
 */
export async function streamTable(
  o: CliOptions,
  sel: Selection,
  names: Names,
  paint: Paint,
  out: Output,
): Promise<(StreamReport & { footnotes: string[] }) | null> {
  const view = netstatView(o, names, paint);
  if (o.programs || o.allNamespaces || o.sort !== null || !sel.inet || !ipv4RowsFitLayout(view)) return null;
  const keep = rowFilter(sel);
  const inetKinds = sel.kinds.filter((k) => k !== 'unix');
  // One read: the IPv6 tables that set the widths first, then the IPv4 tables, each written in its place.
  const ipv6 = inetKinds.filter(isIpv6);
  const stream = openColumnStream(o, [...ipv6, ...inetKinds.filter((k) => !isIpv6(k))]);
  const held = new Map<TableKind, InetSocket[]>();
  // Lines written as bytes straight from the columns carry no colour and see no filter: rows are made for those.
  const bytes = !paint.enabled && sel.filter === null;
  let layout: NetstatInetLayout | undefined;
  let written = 0; // inetKinds[0, written) are written
  let toBytes: ((c: InetColumns) => Promise<void>) | undefined;
  /** Writes the title, the header (the widths of the held rows: those the filter keeps) and the first held tables. */
  const writeUpTo = async (kind: InetTableKind | null): Promise<NetstatInetLayout> => {
    if (layout === undefined) {
      layout = layoutNetstatInet([...held.values()].flat(), view);
      await out.write(
        `${paint.bold(`Active Internet connections ${sectionScope(sel)}`)}\n${headerLine(layout.header, o, paint)}\n`,
      );
    }
    const l = layout;
    const end = kind === null ? inetKinds.length : inetKinds.indexOf(kind);
    for (; written < end; written++) {
      for (const s of held.get(inetKinds[written] as TableKind) ?? []) {
        const full = out.append(`${inetLine(s, l, view, paint)}\n`);
        if (full !== undefined) await full;
      }
    }
    return l;
  };
  for await (const batch of stream.batches) {
    const kind = batch.kind as InetTableKind; // only inet tables were asked for
    if (isIpv6(kind)) {
      await handRows(batch, keep, (s) => {
        const rows = held.get(kind) ?? [];
        if (rows.length === 0) held.set(kind, rows);
        rows.push(s as InetSocket);
        return undefined;
      });
      continue;
    }
    const l = await writeUpTo(kind);
    if (written === inetKinds.indexOf(kind)) written++; // this table's place: its batches follow
    if (bytes && netstatBytesFit(kind, view)) {
      toBytes ??= batchBytes(l, sel, out);
      await toBytes(batch.columns as InetColumns);
    } else {
      await handRows(batch, keep, (s) => out.append(`${inetLine(s as InetSocket, l, view, paint)}\n`));
    }
  }
  await writeUpTo(null);
  const footnotes: string[] = [];
  if (sel.unix && sel.kinds.includes('unix')) {
    const unixOnly: Selection = { ...sel, kinds: ['unix'], inet: false };
    const listing = await readListing(o, unixOnly);
    stream.report.notes.push(...listing.notes);
    stream.report.errors.push(...listing.errors);
    for (const line of unixSection(listing.sockets, sel, o, view, paint)) {
      const full = out.append(`${line}\n`);
      if (full !== undefined) await full;
    }
    footnotes.push(...unixFootnotes(listing.sockets, listing, o));
  } else if (sel.unix) {
    for (const line of unixSection([], sel, o, view, paint)) await out.write(`${line}\n`);
  }
  return { ...stream.report, footnotes };
}
