/**
 * `netstat -s` from parsed counters: the text net-tools 2.10 prints, line for line, and the same as data.
 * @module
 */
import type { NetstatCounters, Snmp6Counters, SnmpCounters } from '../counters/types.js';
import {
  findNetstatEntry,
  type NetstatLineKind,
  type NetstatTable,
  type NetstatTableProtocol,
  SNMP_TABLES,
  SNMP6_TABLES,
} from './netstat-statistics-tables.js';

/** The counter files `netstat -s` reads, parsed (`parseSnmp`, `parseNetstat`, `parseSnmp6`). A missing one is skipped. */
export interface NetstatStatisticsInput {
  /** `/proc/net/snmp`. */
  snmp?: SnmpCounters | undefined;
  /** `/proc/net/netstat` (`TcpExt`, `IpExt`, `MPTcpExt`). */
  netstat?: NetstatCounters | undefined;
  /** `/proc/net/snmp6`, read for `family: 'inet6'` only. */
  snmp6?: Snmp6Counters | undefined;
}

/** Which of netstat's statistics to show. */
export interface NetstatStatisticsOptions {
  /**
   * `'inet'` (default): `netstat -s`, from snmp and netstat. `'inet6'`: `netstat -s -6`, from snmp6 and the `Tcp`
   * group of snmp.
   */
  family?: 'inet' | 'inet6' | undefined;
  /**
   * netstat's `-t`, `-u`, `-w`: the sections of those protocols (`Tcp`, `TcpExt`; `Udp`; `Ip`, `Icmp`, and their
   * IPv6 forms). Sections netstat has no table for (`IcmpMsg`, `UdpLite`, `IpExt`, `MPTcpExt`, …) are always shown,
   * as netstat shows them. Default: all.
   */
  protocols?: readonly NetstatTableProtocol[] | undefined;
}

/** One counter of a section. */
export interface NetstatStatisticsEntry {
  /** The kernel's name (`ActiveOpens`, `Icmp6InEchos`, `InType8`). */
  name: string;
  /** The value (64-bit counters, exact). */
  value: bigint;
  /**
   * netstat's sentence for the counter with the value in it (`12 active connection openings`), or `null` when
   * netstat finds none for it: a counter newer than net-tools 2.10, a setting (`RtoMin`), or one its unsorted tables
   * hide from its own lookup (`TCPTimeouts`, `Forwarding`).
   */
  sentence: string | null;
  /**
   * The line netstat prints for the counter, without indentation: the sentence, or `Name: value` when it has none;
   * `null` when it prints nothing (a zero counter that netstat leaves out, a setting).
   */
  text: string | null;
  /** The ICMP histogram (`ICMP input histogram:`) the counter is listed under, or `null`. */
  histogram: 'input' | 'output' | null;
}

/** One section of `netstat -s` (`Ip:`, `Tcp:`, `IcmpMsg:`, …), as netstat prints it. */
export interface NetstatStatisticsSection {
  /** The title, without its colon (`Ip`, `TcpExt`, `Icmp6`). */
  title: string;
  /** The file its counters come from. */
  file: 'snmp' | 'netstat' | 'snmp6';
  /** Every counter of the section, in the kernel's order, printed or not. */
  entries: NetstatStatisticsEntry[];
}

/** netstat's print state (`enum State`): which indent and histogram title the last counter left. */
type PrintState = 'number' | 'in' | 'out';

const INDENT: Record<PrintState, string> = { number: '    ', in: '        ', out: '        ' };
const HISTOGRAM_TITLE = { in: 'ICMP input histogram:', out: 'ICMP output histogram:' } as const;

/** The kernel prints at most 16 IcmpMsg counters per line pair; netstat titles each pair. */
const ICMPMSG_PER_LINE = 16;

/** `%llu` of a counter (netstat reads values with `strtoull`, so `-1` is 2^64 − 1). */
const unsigned = (value: bigint): string => BigInt.asUintN(64, value).toString();

/** A section being filled, and the table netstat looks its counters up in (none for a section it does not know). */
interface OpenSection {
  table: NetstatTable | undefined;
  section: NetstatStatisticsSection;
}

/** Walks the counters the way netstat's `parsesnmp()`/`parsesnmp6()` do, collecting sections and printed lines. */
class StatisticsWalk {
  readonly sections: NetstatStatisticsSection[] = [];
  readonly lines: string[] = [];
  #state: PrintState = 'number';
  readonly #protocols: ReadonlySet<NetstatTableProtocol>;

  constructor(protocols: readonly NetstatTableProtocol[] | undefined) {
    this.#protocols = new Set(protocols ?? ['tcp', 'udp', 'raw']);
  }

  /** netstat's `newtable()`: the section's title line, or nothing for a table of a protocol not asked for. */
  #open(
    tables: readonly NetstatTable[],
    title: string,
    file: NetstatStatisticsSection['file'],
  ): OpenSection | undefined {
    const table = tables.find((t) => t.title === title);
    if (table !== undefined) {
      this.#state = 'number';
      if (!this.#protocols.has(table.protocol)) return undefined;
    }
    this.lines.push(`${title}:`);
    const section: NetstatStatisticsSection = { title, file, entries: [] };
    this.sections.push(section);
    return { table, section };
  }

  /** netstat's `printval()` for one counter of an open section. */
  #print(table: NetstatTable | undefined, section: NetstatStatisticsSection, name: string, value: bigint): void {
    const entry = table === undefined ? undefined : findNetstatEntry(table, name);
    if (entry === undefined) {
      const text = value === 0n ? null : `${name}: ${unsigned(value)}`;
      if (text !== null) this.lines.push(INDENT[this.#state] + text);
      section.entries.push({ name, value, sentence: null, text, histogram: null });
      return;
    }
    const [, template, kind] = entry;
    if (kind === 'hidden') {
      section.entries.push({ name, value, sentence: null, text: null, histogram: null });
      return;
    }
    const state = stateOf(kind);
    if (state !== 'number' && this.#state !== state) this.lines.push(INDENT[this.#state] + HISTOGRAM_TITLE[state]);
    const sentence = template.replace('%llu', unsigned(value));
    const text = kind === 'always' || value !== 0n ? sentence : null;
    if (text !== null) this.lines.push(INDENT[state] + text);
    this.#state = state;
    const histogram = state === 'in' ? 'input' : state === 'out' ? 'output' : null;
    section.entries.push({ name, value, sentence, text, histogram });
  }

  /** netstat's `process_fd()`: the groups of snmp or netstat; `only` keeps the groups whose name starts with it. */
  pairs(groups: SnmpCounters | NetstatCounters, file: 'snmp' | 'netstat', only?: string): void {
    for (const [title, counters] of Object.entries(groups)) {
      if (counters === undefined || (only !== undefined && !title.startsWith(only))) continue;
      const names = Object.keys(counters);
      // IcmpMsg comes as several line pairs of up to 16 names; netstat gives each its own title.
      const chunk = title === 'IcmpMsg' ? ICMPMSG_PER_LINE : Math.max(names.length, 1);
      for (let start = 0; start < names.length || start === 0; start += chunk) {
        const open = this.#open(SNMP_TABLES, title, file);
        if (open === undefined) break;
        for (const name of names.slice(start, start + chunk)) {
          this.#print(open.table, open.section, name, counters[name]!);
        }
      }
    }
  }

  /** netstat's `process6_fd()`: snmp6's lines, a section for each name prefix up to its `6` (`Ip6`, `Icmp6`, …). */
  lines6(counters: Snmp6Counters): void {
    let title: string | undefined;
    let open: OpenSection | undefined;
    for (const [name, value] of Object.entries(counters)) {
      if (title === undefined || !name.includes(title)) {
        const six = name.indexOf('6');
        title = six < 0 ? name : name.slice(0, six + 1);
        open = this.#open(SNMP6_TABLES, title, 'snmp6');
      }
      if (open !== undefined) this.#print(open.table, open.section, name, value);
    }
  }
}

function stateOf(kind: Exclude<NetstatLineKind, 'hidden'>): PrintState {
  return kind === 'in' ? 'in' : kind === 'out' ? 'out' : 'number';
}

function walk(input: NetstatStatisticsInput, options: NetstatStatisticsOptions | undefined): StatisticsWalk {
  const w = new StatisticsWalk(options?.protocols);
  if (options?.family === 'inet6') {
    if (input.snmp6 !== undefined) w.lines6(input.snmp6);
    if (input.snmp !== undefined) w.pairs(input.snmp, 'snmp', 'Tcp');
  } else {
    if (input.snmp !== undefined) w.pairs(input.snmp, 'snmp');
    if (input.netstat !== undefined) w.pairs(input.netstat, 'netstat');
  }
  return w;
}

/**
 * `netstat -s` as net-tools 2.10 prints it (in the C locale), from parsed counters: the same sections, sentences,
 * indentation, ICMP histograms, and the same choice of lines (a zero counter is left out where netstat leaves it out;
 * a counter netstat has no sentence for prints as `Name: value` when non-zero). Its quirks are kept: the
 * `Forwarding: 2` line, `TCPTimeouts: N` instead of its sentence (its tables are not sorted for its `bsearch`), the
 * deeper indent of `IcmpMsg` lines after the ICMP histogram. Ends with a newline; empty when there is nothing to show.
 *
 * Pass `family: 'inet6'` for `netstat -s -6`, and `protocols` for `-t`, `-u`, `-w`. See docs/filters.md.
 */
export function formatNetstatStatistics(input: NetstatStatisticsInput, options?: NetstatStatisticsOptions): string {
  const { lines } = walk(input, options);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * The sections `formatNetstatStatistics` prints, as data (for `--json`): each with every counter of the section,
 * its value, netstat's sentence and the line netstat prints for it, if any.
 */
export function describeNetstatStatistics(
  input: NetstatStatisticsInput,
  options?: NetstatStatisticsOptions,
): NetstatStatisticsSection[] {
  return walk(input, options).sections;
}
