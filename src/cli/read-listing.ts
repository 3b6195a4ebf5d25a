/**
 * One read for a listing: the selected tables of this namespace, another process's (`--pid`), a dump's (`--root`) or
 * every namespace's (`--all-namespaces`), with owners when `-p` asks, and, when doubtful unix rows are shown, an
 * owner scan to check them (the only evidence there is).
 * @module
 */
import type { ProcNetParseError, TableKind } from '../index.js';
import {
  type FoundSocket,
  type NetNamespace,
  type ProcessScanStats,
  type ReadNote,
  readNamespaces,
  readSockets,
} from '../node/index.js';
import type { CliOptions } from './options.js';
import { rowFilter, type Selection } from './selection.js';
import { isUnverifiedUnixRow } from './unix-marks.js';

/** What a listing shows, and what the read could and could not see. */
export interface Listing {
  /** The selected rows (already filtered by -l / -a), in table order. */
  sockets: FoundSocket[];
  notes: ReadNote[];
  /** Rows that did not parse (skipped; reported on stderr). */
  errors: ProcNetParseError[];
  /** The owner scan's counts when owners were looked up (`-p`, or the unix check), else `null`. */
  processes: ProcessScanStats | null;
  live: boolean;
  /** The tables' folder (for messages). */
  netDir: string;
  /** Namespaces seen (`--all-namespaces`), else `null`. */
  namespaces: NetNamespace[] | null;
  /** The byte order the tables were read in, and where it came from (for the notes). */
  byteOrder: 'little' | 'big';
  byteOrderSource: 'option' | 'host' | 'metadata' | 'guess' | 'default';
  /**
   * The unix evidence check: `'done'` when owners were looked up only to check doubtful unix rows, `'not-root'` when
   * a live scan was skipped because it could not be complete, `'dump'` when a dump has no fds.json, `null` when
   * there was nothing to check (or -p did it).
   */
  unixCheck: 'done' | 'not-root' | 'dump' | null;
}

interface ReadResult {
  byteOrder: 'little' | 'big';
  byteOrderSource: Listing['byteOrderSource'];
  sockets: FoundSocket[];
  notes: ReadNote[];
  errors: ProcNetParseError[];
  processes: ProcessScanStats | null;
  source: { live: boolean; netDir: string };
  namespaces?: NetNamespace[];
}

async function readOnce(o: CliOptions, kinds: TableKind[], processes: boolean): Promise<ReadResult> {
  const common = {
    kinds,
    processes,
    onInvalidRow: 'skip' as const,
    ...(o.byteOrder === null ? {} : { byteOrder: o.byteOrder }),
    ...(o.userHz === null ? {} : { userHz: o.userHz }),
  };
  if (o.allNamespaces) {
    return readNamespaces(o.root === null ? common : { ...common, root: o.root });
  }
  return readSockets({
    ...common,
    ...(o.root === null ? {} : { root: o.root }),
    ...(o.pid === null ? {} : { pid: o.pid }),
  });
}

const isRoot = () => process.geteuid?.() === 0;

/** Reads what a listing shows. Errors that stop the read (no such root, no such pid) are thrown. */
export async function readListing(o: CliOptions, sel: Selection): Promise<Listing> {
  const keep = rowFilter(sel);
  const first = await readOnce(o, sel.kinds, o.programs);
  let sockets = first.sockets.filter(keep);
  let processes = first.processes;
  const notes = first.notes.slice();
  const errors = first.errors.slice();
  let unixCheck: Listing['unixCheck'] = null;
  // Without -p, doubtful unix rows are checked against the processes' descriptors: a complete scan (root) turns
  // a planted row into evidence (no-owner) and gives the name it was planted through its text back.
  if (!o.programs && sockets.some(isUnverifiedUnixRow)) {
    if (first.source.live && !isRoot()) unixCheck = 'not-root';
    else {
      // Live: a new read of the unix table with the scan. A dump: the same file again, with its fds.json.
      const again = await readOnce(o, ['unix'], true);
      if (again.processes === null) unixCheck = 'dump';
      else {
        const unix = again.sockets.filter(keep);
        sockets = [...sockets.filter((s) => s.kind !== 'unix'), ...unix];
        processes = again.processes;
        for (const n of again.notes) if (n.kind === 'unix' || n.code === 'FORGED_UNIX_ROWS') notes.push(n);
        for (const e of again.errors) if (e.file?.endsWith('/unix')) errors.push(e);
        unixCheck = 'done';
      }
    }
  }
  return {
    sockets,
    notes,
    errors,
    processes,
    live: first.source.live,
    netDir: first.source.netDir,
    namespaces: first.namespaces ?? null,
    unixCheck,
    byteOrder: first.byteOrder,
    byteOrderSource: first.byteOrderSource,
  };
}
