/**
 * A scrape of one namespace without owners reads columns (`readSocketColumns`), not rows: its sums are the sums of
 * readSockets' rows, and the state analyses, given only the rows of the states they read, find what they find on
 * every row. On the fixture captures (both byte orders) and the format specification's capture.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeStates } from '../../src/analysis/index.js';
import { readSocketColumns, readSockets } from '../../src/node/index.js';
import { aggregateColumns, aggregateSockets } from '../../src/prometheus/aggregate.js';
import { FINDING_STATES, rowsInStates } from '../../src/prometheus/collector.js';
import { ROOT, SPEC_CAPTURE } from '../support/paths.js';

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
        expect(aggregateColumns(columns.tables, { remotes })).toEqual(
          aggregateSockets(rows.sockets, { byNamespace: false, owners: false, remotes }),
        );
      }
      const some = rowsInStates(columns.tables, FINDING_STATES);
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
