/**
 * Whether a dump is whole. A procnet snapshot keeps an `INCOMPLETE` file until its last file is written, and its
 * `env.json` (written last) lists the size of every file it wrote: a snapshot that was not finished, or a copy of
 * one that lost or cut a file, says so in a `DUMP_INCOMPLETE` note instead of reading as complete.
 * @module
 */
import { join } from 'node:path';
import { own, parseDumpJson } from './dump-meta.js';
import { batch, type IoFailure, type IoPlan, isFailure } from './io.js';
import { sourceFile, type TableSource } from './source.js';
import type { ReadNote } from './types.js';

/** The file a snapshot in progress holds (and a finished one does not). */
export const INCOMPLETE_MARKER = 'INCOMPLETE';

/** The files a snapshot lists in `env.json`: `net/<table>` and `fds.json` (env.json is input like any other). */
const LISTED = /^(?:net\/[a-z0-9]{1,16}|fds\.json)$/;

/** What env.json says about the files of its snapshot. */
interface Listing {
  complete: unknown;
  files: Array<[string, number]>;
}

function listingOf(bytes: Uint8Array): Listing | null {
  let doc: unknown;
  try {
    doc = parseDumpJson(bytes);
  } catch {
    return null; // the byte-order reader notes a file that is not JSON (METADATA_INVALID)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const files: Array<[string, number]> = [];
  const listed = own(doc, 'files');
  if (typeof listed === 'object' && listed !== null && !Array.isArray(listed)) {
    for (const [name, v] of Object.entries(listed)) {
      const bytes = typeof v === 'object' && v !== null ? own(v, 'bytes') : undefined;
      if (LISTED.test(name) && Number.isSafeInteger(bytes) && (bytes as number) >= 0)
        files.push([name, bytes as number]);
    }
  }
  return { complete: own(doc, 'complete'), files };
}

const note = (message: string, path: string): ReadNote => ({ code: 'DUMP_INCOMPLETE', message, kind: null, path });

/** The `DUMP_INCOMPLETE` notes of a dump (none for a live procfs). */
export function* checkDump(source: TableSource): IoPlan<ReadNote[]> {
  if (source.live) return [];
  const notes: ReadNote[] = [];
  const dirs = source.metaDirs;
  const found = yield* batch([
    ...dirs.map((d) => ({ op: 'stat' as const, path: join(d, INCOMPLETE_MARKER) })),
    ...dirs.map((d) => ({ op: 'read' as const, file: sourceFile(source, join(d, 'env.json'), 'metadata') })),
  ]);
  const sizes: Array<{ path: string; bytes: number }> = [];
  dirs.forEach((dir, i) => {
    if (found[i] === 'file') {
      notes.push(
        note(
          `${dir} holds ${INCOMPLETE_MARKER}: this procnet snapshot was not finished, so tables may be missing or cut short`,
          join(dir, INCOMPLETE_MARKER),
        ),
      );
    }
    const env = found[dirs.length + i] as Uint8Array | IoFailure;
    if (isFailure(env)) return;
    const listing = listingOf(env);
    if (listing === null) return;
    const path = join(dir, 'env.json');
    if (listing.complete === false)
      notes.push(note(`${path} says the snapshot was not finished (complete: false)`, path));
    for (const [name, bytes] of listing.files) sizes.push({ path: join(dir, name), bytes });
  });
  const now = yield* batch(sizes.map((f) => ({ op: 'size' as const, path: f.path })));
  sizes.forEach((f, i) => {
    const size = now[i] as number | IoFailure;
    if (isFailure(size)) {
      if (size.code === 'ENOENT')
        notes.push(note(`${f.path} is missing, but the snapshot wrote it: this dump is incomplete`, f.path));
      else
        notes.push(note(`${f.path} could not be checked (${size.code}) against the size the snapshot wrote`, f.path));
    } else if (size < 0) {
      notes.push(note(`${f.path} is not the regular file the snapshot wrote: this dump was changed`, f.path));
    } else if (size !== f.bytes) {
      notes.push(
        note(
          `${f.path} has ${size} bytes where the snapshot wrote ${f.bytes}: this dump was cut short or changed`,
          f.path,
        ),
      );
    }
  });
  return notes;
}
