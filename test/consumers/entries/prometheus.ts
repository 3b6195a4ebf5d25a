/**
 * A user of `procnet/prometheus`, compiled by test/consumers/consumers.test.ts against the packed package under every
 * consumer configuration (without prom-client installed: it is an optional peer, so the declarations must not need
 * it). The prom-client stand-in below has the shape of the parts procnet uses.
 */
import {
  collectMetrics,
  createMetricsCollector,
  type MetricsCollector,
  type MetricsFormat,
  type MetricsOptions,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  type PromClientMetric,
  type PromClientMetricConfiguration,
  type PromClientModule,
  registerPromClientMetrics,
} from 'procnet/prometheus';

export function exporterBody(accept: string | undefined): Promise<{ type: string; body: string }> {
  const format: MetricsFormat = accept?.includes('openmetrics') ? 'openmetrics' : 'prometheus';
  const options: MetricsOptions = {
    processes: true,
    maxProcesses: 20,
    kinds: ['tcp', 'tcp6'],
    analysis: { closeWaitWarning: 5 },
  };
  const collector: MetricsCollector = createMetricsCollector(options);
  return collector
    .collect(format)
    .then((body) => ({ type: format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE, body }));
}

export function fromDump(root: string): Promise<string> {
  return collectMetrics({ root, format: 'openmetrics', onError: (e) => console.error(e.message) });
}

class FakeMetric implements PromClientMetric {
  constructor(readonly configuration: PromClientMetricConfiguration) {}
  reset(): void {}
  remove(...labelValues: string[]): void {
    void labelValues;
  }
}

const fake: PromClientModule = {
  Gauge: FakeMetric,
  Counter: FakeMetric,
  register: { registerMetric: (metric: PromClientMetric) => void metric },
};

export const registered: PromClientMetric[] = registerPromClientMetrics(fake, { allCounters: true });
