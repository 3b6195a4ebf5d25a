/**
 * Deciding the byte order and USER_HZ of a read: the caller's options, this machine's (live), or what a dump
 * says about itself, what its addresses suggest, and the defaults, with a note saying which.
 * @module
 */
import { join } from 'node:path';
import { guessByteOrder } from '../decode/byte-order-guess.js';
import { isInetTableKind } from '../tables/inet.js';
import type { InvalidRowHandler } from '../tables/options.js';
import type { ByteOrder, InetTableKind, TableKind } from '../types.js';
import { note, type ParseSettings, type ReadLog } from './assemble.js';
import { type DumpMeta, parseDumpJson, readDumpMeta } from './dump-meta.js';
import { failureText, trustedFile } from './files.js';
import { hostByteOrder, userHzFromAuxv } from './host.js';
import { batch, type IoFailure, type IoPlan, isFailure, request } from './io.js';
import { sourceFile, type TableSource } from './source.js';
import type { ReadSocketsResult } from './types.js';

/** Settings plus where the byte order came from. */
export interface ReadSettings extends ParseSettings {
  byteOrderSource: ReadSocketsResult['byteOrderSource'];
}

let cachedHostHz: number | null | undefined;

/** USER_HZ of this machine (auxv `AT_CLKTCK`), read once per process; 100 if unreadable. */
function* hostUserHz(procRoot: string): IoPlan<number> {
  if (cachedHostHz === undefined) {
    const auxv = yield* request({
      op: 'read',
      file: trustedFile(join(procRoot, 'self/auxv'), 'system', undefined, 512),
    });
    cachedHostHz = isFailure(auxv) ? null : userHzFromAuxv(auxv);
  }
  return cachedHostHz ?? 100;
}

/** `env.json` then `manifest.json` in each metadata folder, nearest first; the first value of each fact wins. */
function* dumpMeta(acc: ReadLog, source: TableSource): IoPlan<DumpMeta & { from: string | null }> {
  const paths = source.metaDirs.flatMap((d) => [join(d, 'env.json'), join(d, 'manifest.json')]);
  const files = yield* batch(
    paths.map((path) => ({ op: 'read' as const, file: sourceFile(source, path, 'metadata') })),
  );
  const out: DumpMeta & { from: string | null } = { byteOrder: null, userHz: null, from: null };
  for (let i = 0; i < paths.length; i++) {
    const bytes = files[i] as Uint8Array | IoFailure;
    const path = paths[i] as string;
    if (isFailure(bytes)) {
      if (bytes.code !== 'ENOENT') note(acc, 'METADATA_INVALID', failureText(path, bytes), null, path);
      continue;
    }
    let meta: DumpMeta;
    try {
      meta = readDumpMeta(parseDumpJson(bytes));
    } catch (e) {
      note(acc, 'METADATA_INVALID', `${path} was ignored: ${(e as Error).message}`, null, path);
      continue;
    }
    if (out.byteOrder === null && meta.byteOrder !== null) {
      out.byteOrder = meta.byteOrder;
      out.from = path;
    }
    if (out.userHz === null && meta.userHz !== null) out.userHz = meta.userHz;
  }
  return out;
}

/** Checks the userHz option early, with the message the parser would give. */
export function checkUserHz(userHz: number | undefined): void {
  if (userHz !== undefined && !(userHz > 0 && Number.isFinite(userHz))) {
    throw new RangeError('procnet: userHz must be a positive number');
  }
}

/**
 * Decides the settings. `tables` are the bytes already read (for a dump whose byte order must be guessed).
 */
export function* decideSettings(
  acc: ReadLog,
  source: TableSource,
  options: {
    byteOrder?: ByteOrder | 'auto' | undefined;
    userHz?: number | undefined;
    onInvalidRow?: InvalidRowHandler | undefined;
  },
  tables: ReadonlyArray<{ kind: TableKind; bytes: Uint8Array | IoFailure }>,
): IoPlan<ReadSettings> {
  const onInvalidRow = options.onInvalidRow ?? 'throw';
  const explicit = options.byteOrder === 'little' || options.byteOrder === 'big' ? options.byteOrder : null;
  if (source.live) {
    const userHz = options.userHz !== undefined ? options.userHz : yield* hostUserHz(source.root);
    return explicit !== null
      ? { byteOrder: explicit, byteOrderSource: 'option', userHz, onInvalidRow }
      : { byteOrder: hostByteOrder(), byteOrderSource: 'host', userHz, onInvalidRow };
  }
  const meta = yield* dumpMeta(acc, source);
  let userHz = options.userHz ?? meta.userHz;
  if (userHz === null) {
    userHz = 100;
    note(acc, 'USER_HZ', 'the dump does not say its USER_HZ: 100 was assumed (pass userHz to change it)', null, null);
  }
  if (explicit !== null) return { byteOrder: explicit, byteOrderSource: 'option', userHz, onInvalidRow };
  if (meta.byteOrder !== null) {
    note(acc, 'BYTE_ORDER', `byte order ${meta.byteOrder} from ${meta.from}`, null, meta.from);
    return { byteOrder: meta.byteOrder, byteOrderSource: 'metadata', userHz, onInvalidRow };
  }
  const inet: Array<{ kind: InetTableKind; input: Uint8Array }> = [];
  for (const t of tables)
    if (isInetTableKind(t.kind) && !isFailure(t.bytes)) inet.push({ kind: t.kind as InetTableKind, input: t.bytes });
  const guess = guessByteOrder(inet);
  if (guess.byteOrder !== null) {
    const n = guess.byteOrder === 'little' ? guess.little : guess.big;
    note(
      acc,
      'BYTE_ORDER',
      `byte order guessed ${guess.byteOrder}-endian from ${n} loopback, IPv4-mapped or link-local addresses (no metadata in the dump; pass byteOrder to be sure)`,
      null,
      null,
    );
    return { byteOrder: guess.byteOrder, byteOrderSource: 'guess', userHz, onInvalidRow };
  }
  const why = guess.little > 0 ? 'the hint addresses disagree' : 'no hint addresses';
  note(
    acc,
    'BYTE_ORDER',
    `byte order assumed little-endian (no metadata in the dump, ${why}; pass byteOrder)`,
    null,
    null,
  );
  return { byteOrder: 'little', byteOrderSource: 'default', userHz, onInvalidRow };
}
