/**
 * procnet's metrics in a prom-client registry (prom-client is an optional peer: the caller passes its module, so
 * procnet never imports it). Each family is a prom-client `Gauge` or `Counter` whose `collect` fills it from one
 * shared read per scrape.
 * @module
 */
import { makeCollector } from './collector.js';
import { type Family, labelText } from './exposition.js';
import { METRICS, type MetricName, PER_NAMESPACE } from './metrics.js';
import type { MetricsOptions } from './options.js';

/** What procnet needs of a prom-client `Registry`. */
export interface PromClientRegistry {
  registerMetric(metric: PromClientMetric): void;
}

/** The methods of a prom-client metric that procnet calls from `collect`. */
export interface PromClientMetric {
  reset(): void;
  remove(...labelValues: string[]): void;
}

/** The configuration procnet gives a prom-client `Gauge` or `Counter` (a part of prom-client's own). */
export interface PromClientMetricConfiguration {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** procnet passes `[]` and registers each metric itself. */
  registers?: never[];
  collect?: (this: unknown) => void | Promise<void>;
}

/** The parts of the prom-client module procnet uses (`import * as client from 'prom-client'` has them). */
export interface PromClientModule {
  Gauge: new (configuration: PromClientMetricConfiguration) => PromClientMetric;
  Counter: new (configuration: PromClientMetricConfiguration) => PromClientMetric;
  /** The default registry, used when no `registry` is given. */
  register: PromClientRegistry;
}

interface Settable extends PromClientMetric {
  set(labels: Record<string, string>, value: number): void;
  inc(labels: Record<string, string>, value: number): void;
}

/**
 * Registers procnet's metric families in a prom-client registry (`options.registry`, default prom-client's default
 * registry), so an agent's existing `/metrics` carries them: on each scrape of that registry, procnet reads the
 * namespace once (all families share the read) and fills every family. The families and their labels are those of
 * {@link collectMetrics}; prom-client writes them (a value is a float64 there, so a counter past 2^53 loses its last
 * digits). Returns the metric objects it registered.
 *
 * ```ts
 * import * as client from 'prom-client';
 * import { registerPromClientMetrics } from 'procnet/prometheus';
 *
 * registerPromClientMetrics(client, { processes: true });
 * const text = await client.register.metrics(); // the agent's metrics and procnet's
 * ```
 *
 * @throws {RangeError} for a bad option; prom-client's own error when a family's name is already registered.
 */
export function registerPromClientMetrics(
  client: PromClientModule,
  options?: MetricsOptions & { registry?: PromClientRegistry | undefined },
): PromClientMetric[] {
  const source = makeCollector(options);
  const o = source.options;
  const registry = options?.registry ?? client.register;
  const names = (Object.keys(METRICS) as MetricName[]).filter(
    (n) =>
      (n !== 'procnet_remote_connections' || o.remoteAddresses > 0) &&
      ((n !== 'procnet_mib' && n !== 'procnet_mib_value') || o.allCounters) &&
      (n !== 'procnet_process_sockets' || o.processes) &&
      (n !== 'procnet_finding' || o.findings),
  );
  // One read per scrape: the registry asks every metric at once, and every collect() joins the read in flight.
  let current: Promise<Map<string, Family>> | null = null;
  const families = (): Promise<Map<string, Family>> => {
    if (current === null) {
      current = source
        .families()
        .then((list) => new Map(list.map((f) => [f.name, f])))
        .finally(() => {
          queueMicrotask(() => {
            current = null;
          });
        });
    }
    return current;
  };
  const metrics = names.map((name) => {
    const info = METRICS[name];
    const labelNames = o.allNamespaces && PER_NAMESPACE.has(name) ? [...info.labels, 'namespace'] : [...info.labels];
    const Metric = info.type === 'counter' ? client.Counter : client.Gauge;
    return new Metric({
      name: info.type === 'counter' ? `${name}_total` : name,
      help: info.help,
      labelNames,
      registers: [],
      async collect(this: unknown) {
        const metric = this as Settable;
        const family = (await families()).get(name);
        metric.reset();
        if (family === undefined || family.samples.length === 0) {
          // An unlabelled metric would print 0 after reset(): no value is not zero.
          if (labelNames.length === 0) metric.remove();
          return;
        }
        for (const s of family.samples) {
          const labels: Record<string, string> = {};
          for (let i = 0; i < labelNames.length; i++) labels[labelNames[i] as string] = labelText(s.labels[i] ?? '');
          if (info.type === 'counter') metric.inc(labels, Number(s.value));
          else metric.set(labels, Number(s.value));
        }
      },
    });
  });
  for (const m of metrics) registry.registerMetric(m);
  return metrics;
}
