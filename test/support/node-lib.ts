/**
 * procnet/node under test: `src/node/` by default, the built `dist/node.js` when PROCNET_TEST_DIST=1.
 */
import type * as Node from '../../src/node/index.js';

const target = process.env.PROCNET_TEST_DIST === '1' ? '../../dist/node.js' : '../../src/node/index.js';
export const nodeLib = (await import(/* @vite-ignore */ target)) as typeof Node;
