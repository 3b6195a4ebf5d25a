/**
 * Writing metric families as the Prometheus text exposition format (version 0.0.4) or OpenMetrics 1.0. Label values
 * are untrusted (process names, a dump's counter names): control characters are escaped as visible text first, then
 * the format's own escapes apply, so no label value carries a raw control character.
 * @module
 */
import { escapeTerminal } from '../netstat.js';
import type { MetricType } from './metrics.js';

/** The text formats procnet writes. */
export type MetricsFormat = 'prometheus' | 'openmetrics';

/** `Content-Type` of the Prometheus text format, version 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `Content-Type` of OpenMetrics 1.0 text. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** One series: label values in the family's label order, and its value. */
export interface Sample {
  labels: readonly string[];
  value: number | bigint;
}

/** A family ready to be written. Counter names carry no `_total` (it is added to each sample). */
export interface Family {
  name: string;
  type: MetricType;
  help: string;
  labelNames: readonly string[];
  samples: Sample[];
}

/** A label value made safe: control and invisible format characters become visible escapes (`\x1b`, `\n`, …). */
export function labelText(value: string): string {
  return escapeTerminal(value);
}

/** The exposition's escapes of a label value (backslash, double quote, newline). */
function quoteLabel(value: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const rep = c === 0x5c ? '\\\\' : c === 0x22 ? '\\"' : c === 0x0a ? '\\n' : undefined;
    if (rep !== undefined) {
      out += value.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? value : out + value.slice(last);
}

function helpText(help: string, format: MetricsFormat): string {
  let out = help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  if (format === 'openmetrics') out = out.replaceAll('"', '\\"');
  return out;
}

function valueText(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/**
 * Writes families in the given format. Families without samples are left out; OpenMetrics ends with `# EOF`.
 * Label values are made safe with {@link labelText} here, whatever the caller passed.
 */
export function formatFamilies(families: readonly Family[], format: MetricsFormat): string {
  const lines: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    const sampleName = f.type === 'counter' ? `${f.name}_total` : f.name;
    const familyName = format === 'openmetrics' ? f.name : sampleName;
    lines.push(`# HELP ${familyName} ${helpText(f.help, format)}`, `# TYPE ${familyName} ${f.type}`);
    for (const s of f.samples) {
      let labels = '';
      for (let i = 0; i < f.labelNames.length; i++) {
        const v = s.labels[i] ?? '';
        labels += `${i === 0 ? '' : ','}${f.labelNames[i]}="${quoteLabel(labelText(v))}"`;
      }
      lines.push(`${sampleName}${labels === '' ? '' : `{${labels}}`} ${valueText(s.value)}`);
    }
  }
  if (format === 'openmetrics') lines.push('# EOF');
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
