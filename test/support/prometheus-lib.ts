/**
 * procnet/prometheus under test: `src/prometheus/` by default, the built `dist/prometheus.js` when PROCNET_TEST_DIST=1.
 */
import type * as Prometheus from '../../src/prometheus/index.js';

const target = process.env.PROCNET_TEST_DIST === '1' ? '../../dist/prometheus.js' : '../../src/prometheus/index.js';
export const promLib = (await import(/* @vite-ignore */ target)) as typeof Prometheus;
