/**
 * A scrape of one namespace reads batches of columns (`streamSocketColumns`), not rows: its sums (with the owners map
 * counted by process, and without) are the sums of readSockets' rows, and the state analyses, given only the rows of
 * the states they read, find what they find on every row. On the fixture captures (both byte orders, with their
 * fds.json) and the format specification's capture.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeStates } from '../../src/analysis/index.js';
import {
  type FoundSocket,
  readSocketColumns,
  readSockets,
  type SocketColumns,
  type SocketOwner,
  streamSocketColumns,
} from '../../src/node/index.js';
import { aggregateSockets, ColumnsAggregate } from '../../src/prometheus/aggregate.js';
import { FINDING_STATES, rowsInStates } from '../../src/prometheus/collector.js';
import { ROOT, SPEC_CAPTURE } from '../support/paths.js';

/** The sums of batches (or tables) of columns, with the owners map counted at the end. */
function sumColumns(
  batches: readonly SocketColumns[],
  owners: ReadonlyMap<string, readonly SocketOwner[]> | null,
  options: { owners: boolean; remotes: boolean },
) {
  const sums = new ColumnsAggregate(options);
  for (const b of batches) sums.add(b);
  sums.addOwners(owners);
  return new Map([[null, sums.aggregate]]);
}

const ROOTS = [
  join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64'),
  join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64-as-big-endian'),
  SPEC_CAPTURE,
];

describe('the columnar scrape', () => {
  for (const root of ROOTS) {
    it(`adds up what the rows add up to, and finds what every row finds (${root.split('/').at(-2)})`, async () => {
      const rows = await readSockets({ root, onInvalidRow: 'skip' });
      const columns = await readSocketColumns({ root, onInvalidRow: 'skip' });
      expect(rows.sockets.length).toBeGreaterThan(20);
      for (const remotes of [false, true]) {
        expect(sumColumns(columns.tables, null, { owners: false, remotes })).toEqual(
          aggregateSockets(rows.sockets, { byNamespace: false, owners: false, remotes }),
        );
      }
      // With owners, from the stream's batches and its end's map.
      const owned = await readSockets({ root, onInvalidRow: 'skip', processes: true });
      const batches: SocketColumns[] = [];
      let owners: Parameters<typeof sumColumns>[1] = null;
      for await (const e of streamSocketColumns({ root, onInvalidRow: 'skip', processes: true })) {
        if ('end' in e) owners = e.owners;
        else batches.push(e);
      }
      const byProcess = aggregateSockets(owned.sockets, { byNamespace: false, owners: true, remotes: false });
      expect(sumColumns(batches, owners, { owners: true, remotes: false })).toEqual(byProcess);
      if (owned.processes !== null) expect(byProcess.get(null)?.processes?.size).toBeGreaterThanOrEqual(3);
      const some: FoundSocket[] = [];
      for (const t of columns.tables) rowsInStates(t, FINDING_STATES, some);
      expect(some.length).toBeLessThan(rows.sockets.length);
      // Thresholds at 1 so that every analysis has something to say.
      const options = {
        closeWaitWarning: 1,
        synRecvWarning: 1,
        timeWaitWarningRatio: 0.00001,
        orphanFinWait2Warning: 1,
      };
      const all = analyzeStates(rows.sockets, options);
      expect(new Set(all.map((f) => f.id)).size).toBe(4);
      expect(analyzeStates(some, options)).toEqual(all);
    });
  }
});
