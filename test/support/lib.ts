/**
 * The library under test: `src/` by default, the built `dist/` when PROCNET_TEST_DIST=1
 * (so the same suite checks what npm users get).
 */
import type * as Core from '../../src/index.js';

const target = process.env.PROCNET_TEST_DIST === '1' ? '../../dist/index.js' : '../../src/index.js';
export const lib = (await import(/* @vite-ignore */ target)) as typeof Core;
