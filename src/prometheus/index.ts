/**
 * procnet/prometheus: a namespace's sockets, queues and kernel counters as Prometheus metrics, in the text
 * exposition format (0.0.4) or OpenMetrics, or in a prom-client registry. No dependency: prom-client is an optional
 * peer that the caller passes in. See docs/prometheus.md for every metric.
 * @module
 */
export { collectMetrics, createMetricsCollector, type MetricsCollector } from './collector.js';
export { type MetricsFormat, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from './exposition.js';
export type { MetricsOptions } from './options.js';
export {
  type PromClientMetric,
  type PromClientMetricConfiguration,
  type PromClientModule,
  type PromClientRegistry,
  registerPromClientMetrics,
} from './prom-client.js';
