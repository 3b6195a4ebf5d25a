/**
 * procnet/counters, procnet/analysis and procnet/netstat under test: `src/` by default, the built `dist/` when
 * PROCNET_TEST_DIST=1 (as `lib` is for the core).
 */
import type * as Analysis from '../../src/analysis/index.js';
import type * as Counters from '../../src/counters/index.js';
import type * as Netstat from '../../src/netstat.js';

const dist = process.env.PROCNET_TEST_DIST === '1';
const load = (built: string, source: string): Promise<unknown> => import(/* @vite-ignore */ dist ? built : source);

export const countersLib = (await load('../../dist/counters.js', '../../src/counters/index.js')) as typeof Counters;
export const analysisLib = (await load('../../dist/analysis.js', '../../src/analysis/index.js')) as typeof Analysis;
export const netstatLib = (await load('../../dist/netstat.js', '../../src/netstat.js')) as typeof Netstat;
