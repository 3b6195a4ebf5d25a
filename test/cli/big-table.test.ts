/**
 * The streamed table view on a live table big enough to be read in a worker (12 000 loopback connections held by
 * the bench's load generator in a network namespace of its own = 24 000+ rows, over the 20 000 of `'auto'`):
 * `procnet --pid P -tan` prints what `netstat -tan` prints in that namespace, row for row, and so do `-tn`
 * (connected rows, filtered on the decoded line) and `-tane` (the string renderer, still streamed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CAN_UNSHARE, type Load, lines, procnet, startLoad, tool } from './helpers.js';

const CONNECTIONS = 12_000;
let load: Load | undefined;
let pid = 0;

describe.skipIf(!CAN_UNSHARE || !BUILT)('a big live table, streamed (own network namespace)', () => {
  beforeAll(async () => {
    load = await startLoad(CONNECTIONS);
    pid = load.pid;
  }, 90_000);

  afterAll(() => load?.stop());

  for (const args of [['-tan'], ['-tn'], ['-tane']]) {
    it(`procnet ${args.join(' ')} = netstat ${args.join(' ')}, ${2 * CONNECTIONS}+ rows`, () => {
      const n = tool('nsenter', ['-t', String(pid), '-n', 'netstat', ...args, '-W']);
      const p = procnet(['--pid', String(pid), ...args]);
      expect(p.status).toBe(0);
      expect(p.stderr).toBe('');
      const ours = lines(p.stdout);
      const theirs = lines(n.stdout);
      expect(ours.length).toBeGreaterThanOrEqual(args[0] === '-tn' ? 2 * CONNECTIONS : 2 * CONNECTIONS + 2);
      expect(ours).toEqual(theirs);
    });
  }
});
