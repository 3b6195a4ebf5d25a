/**
 * `-s`: netstat's protocol statistics (`netstat -s`), from the kernel's counters (`/proc/net/snmp`, `netstat`,
 * `snmp6`) of this namespace, another process's (`--pid`) or a dump's (`--root`). `-t`, `-u`, `-w` pick sections
 * and `-6` the IPv6 statistics, as netstat does; `--json` gives the same sections as data.
 * @module
 */

import type { ProcNetParseError } from '../index.js';
// entry: procnet/netstat
import {
  describeNetstatStatistics,
  formatNetstatStatistics,
  type NetstatStatisticsInput,
  type NetstatStatisticsOptions,
  type NetstatStatisticsSection,
} from '../netstat.js';
import { type CounterFile, type ReadNote, readCounters } from '../node/index.js';
import type { CliOptions } from './options.js';

/** What `-s` read. */
export interface Statistics {
  input: NetstatStatisticsInput;
  options: NetstatStatisticsOptions;
  /** The namespace inode read (live), or `null`. */
  namespace: string | null;
  notes: ReadNote[];
  errors: ProcNetParseError[];
}

/** netstat's `-s` options of a command line: `-6` the IPv6 statistics, `-t`/`-u`/`-w` the protocols' sections. */
export function statisticsOptions(o: CliOptions): NetstatStatisticsOptions {
  const protocols = [
    ...(o.tcp ? ['tcp' as const] : []),
    ...(o.udp ? ['udp' as const] : []),
    ...(o.raw ? ['raw' as const] : []),
  ];
  return {
    family: o.ipv6 ? 'inet6' : 'inet',
    ...(protocols.length === 0 ? {} : { protocols }),
  };
}

/** Reads the counter files `-s` shows (lenient: a bad line is skipped and reported, a missing file is a note). */
export async function readStatistics(o: CliOptions): Promise<Statistics> {
  const options = statisticsOptions(o);
  // netstat -s reads snmp and netstat; -s -6 reads snmp6 and the Tcp line of snmp.
  const files: CounterFile[] = options.family === 'inet6' ? ['snmp6', 'snmp'] : ['snmp', 'netstat'];
  const r = await readCounters({
    files,
    settings: false,
    onInvalidRow: 'skip',
    ...(o.root === null ? {} : { root: o.root }),
    ...(o.pid === null ? {} : { pid: o.pid }),
  });
  const c = r.counters;
  return {
    input: { snmp: c.snmp, netstat: c.netstat, snmp6: c.snmp6 },
    options,
    namespace: r.namespace,
    notes: r.notes,
    errors: r.errors,
  };
}

/** netstat's text (ends with a newline; empty when there is nothing to show). */
export function renderStatistics(s: Statistics): string {
  return formatNetstatStatistics(s.input, s.options);
}

/** A counter in JSON: a number when it is exact as one (up to 2^53 − 1), else its decimal digits as a string. */
export function counterJson(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** One section as JSON data. */
interface SectionJson {
  title: string;
  file: NetstatStatisticsSection['file'];
  entries: Array<{
    name: string;
    value: number | string;
    sentence: string | null;
    text: string | null;
    histogram: 'input' | 'output' | null;
  }>;
}

/** `-s --json`: `{ namespace, sections }`, the sections of `describeNetstatStatistics` with JSON-safe values. */
export function statisticsJson(s: Statistics): { namespace: string | null; sections: SectionJson[] } {
  return {
    namespace: s.namespace,
    sections: describeNetstatStatistics(s.input, s.options).map((section) => ({
      title: section.title,
      file: section.file,
      entries: section.entries.map((e) => ({ ...e, value: counterJson(e.value) })),
    })),
  };
}
