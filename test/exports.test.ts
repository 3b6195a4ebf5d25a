/**
 * The public surface, pinned: the exact runtime exports and type exports of every entry of package.json `exports`.
 * Adding, removing or renaming an export fails here until the list below is changed with it, so every change to the
 * API is a decision (and CHANGELOG.md, the README's table and docs/api.md say so: every runtime export is named in
 * both). Runtime names are read from the module under test (src/, or dist/ in the dist run); type names from the
 * sources with the TypeScript compiler.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ENTRIES } from './support/entries.js';
import { ROOT } from './support/paths.js';

interface Surface {
  /** The entry's source file (tsup.config.ts builds it). */
  source: string;
  runtime: string[];
  types: string[];
}

const EXPORTS: Record<string, Surface> = {
  '.': {
    source: 'src/index.ts',
    runtime: [
      'INET_TABLES',
      'PROC_NET_ERROR_CODES',
      'ProcNetParseError',
      'SOCKET_FILTER_ERROR_CODES',
      'SocketFilterError',
      'TABLE_HEADERS',
      'TABLE_PADDING',
      'TCP_STATES',
      'decodeSocketAddress',
      'decodeTcpState',
      'decodeTimerKind',
      'deriveRowFilter',
      'encodeSocketAddress',
      'formatRow',
      'formatSocketFilter',
      'formatTable',
      'guessByteOrder',
      'isProcNetParseError',
      'isSocketFilterError',
      'parseColumns',
      'parseColumnsStream',
      'parseSocketFilter',
      'parseTable',
      'parseTableStream',
      'socketJsonReplacer',
      'summarizeTable',
      'summarizeTableStream',
    ],
    types: [
      'AddressFamily',
      'AddressOptions',
      'ByteOrder',
      'ByteOrderGuess',
      'ChunkSource',
      'ColumnsByKind',
      'DatagramColumns',
      'DatagramSocketBase',
      'DatagramState',
      'Endpoint',
      'FormatOptions',
      'I32Column',
      'IcmpSocket',
      'IdentityColumns',
      'InetColumns',
      'InetColumnsBase',
      'InetHostPattern',
      'InetProtocol',
      'InetSocket',
      'InetSocketBase',
      'InetTableKind',
      'InvalidRowHandler',
      'ParseOptions',
      'PortOperator',
      'ProcNetErrorCode',
      'ProcNetParseErrorDetails',
      'RawSocket',
      'RowFilter',
      'SocketByKind',
      'SocketFilter',
      'SocketFilterAnd',
      'SocketFilterAutobound',
      'SocketFilterErrorCode',
      'SocketFilterErrorDetails',
      'SocketFilterExpression',
      'SocketFilterFamily',
      'SocketFilterHost',
      'SocketFilterNot',
      'SocketFilterOptions',
      'SocketFilterOr',
      'SocketFilterPort',
      'SocketFilterSide',
      'SocketFilterSource',
      'SocketTimer',
      'TableColumns',
      'TableInput',
      'TableKind',
      'TableSummary',
      'TcpColumns',
      'TcpRequestSocket',
      'TcpRow',
      'TcpSocket',
      'TcpState',
      'TcpStateInfo',
      'TcpTimeWaitSocket',
      'TimerKind',
      'U32Column',
      'U8Column',
      'UdpSocket',
      'UnixColumns',
      'UnixHostPattern',
      'UnixSocket',
      'UnixSocketState',
      'UnixSocketType',
      'UnixSuspicion',
    ],
  },
  './counters': {
    source: 'src/counters/index.ts',
    runtime: [
      'diffCounters',
      'getSockstatMemory',
      'isCounterGauge',
      'parseNetstat',
      'parseSnmp',
      'parseSnmp6',
      'parseSockstat',
      'rateCounters',
    ],
    types: [
      'CounterDiff',
      'CounterGroup',
      'CounterGroupRates',
      'CounterGroups',
      'CounterInput',
      'CounterParseOptions',
      'CounterRates',
      'CounterReset',
      'NetstatCounters',
      'Snmp6Counters',
      'SnmpCounters',
      'SockstatCounters',
      'SockstatFrag',
      'SockstatInuse',
      'SockstatMemory',
      'SockstatMemoryOptions',
      'SockstatSockets',
      'SockstatTcp',
      'SockstatUdp',
    ],
  },
  './analysis': {
    source: 'src/analysis/index.ts',
    runtime: [
      'DEFAULT_ANALYSIS_OPTIONS',
      'FINDINGS',
      'SEVERITIES',
      'analyzeCounters',
      'analyzeQueues',
      'analyzeStates',
      'classifyAddress',
      'compareFindings',
      'diagnose',
      'formatDuration',
      'formatEndpoint',
      'summarizeListeners',
    ],
    types: [
      'AddressClass',
      'AddressScope',
      'AnalysisOptions',
      'AnalysisSocket',
      'ClassifyAddressOptions',
      'CounterSample',
      'Finding',
      'FindingEvidence',
      'FindingId',
      'FindingInfo',
      'FindingProcess',
      'FindingSocket',
      'Listener',
      'ListenerSummary',
      'QueueTrace',
      'QueueTrend',
      'Reachability',
      'ResolvedAnalysisOptions',
      'Sample',
      'Severity',
      'SocketOwnerInfo',
    ],
  },
  './netstat': {
    source: 'src/netstat.ts',
    runtime: [
      'NETSTAT_TIMER_LABEL',
      'describeNetstatStatistics',
      'escapeTerminal',
      'formatNetstatInet',
      'formatNetstatInetLine',
      'formatNetstatStatistics',
      'formatNetstatUnix',
      'ipv4RowsFitLayout',
      'layoutNetstatInet',
    ],
    types: [
      'NetstatInetLayout',
      'NetstatOptions',
      'NetstatOwner',
      'NetstatRow',
      'NetstatStatisticsEntry',
      'NetstatStatisticsInput',
      'NetstatStatisticsOptions',
      'NetstatStatisticsSection',
    ],
  },
  './schema': {
    source: 'src/schema.ts',
    runtime: [
      'AddressFamilySchema',
      'DatagramStateSchema',
      'EndpointSchema',
      'FoundSocketSchema',
      'IcmpSocketSchema',
      'InetSocketSchema',
      'RawSocketSchema',
      'SocketOwnerSchema',
      'SocketSchema',
      'SocketTimerSchema',
      'TcpRequestSocketSchema',
      'TcpRowSchema',
      'TcpSocketSchema',
      'TcpStateSchema',
      'TcpTimeWaitSocketSchema',
      'TimerKindSchema',
      'UdpSocketSchema',
      'UnixSocketSchema',
      'UnixSocketStateSchema',
      'UnixSocketTypeSchema',
      'UnixSuspicionSchema',
    ],
    types: [],
  },
  './node': {
    source: 'src/node/index.ts',
    runtime: [
      'ALL_KINDS',
      'COUNTER_FILES',
      'DEFAULT_READ_LIMITS',
      'SnapshotError',
      'pageSizeFromAuxv',
      'readBoundedFileSync',
      'readCounters',
      'readCountersSync',
      'readNamespaces',
      'readNamespacesSync',
      'readSocketColumns',
      'readSocketColumnsSync',
      'readSocketOwners',
      'readSocketOwnersSync',
      'readSockets',
      'readSocketsSync',
      'streamSocketColumns',
      'takeSamples',
      'writeSnapshot',
    ],
    types: [
      'CounterFile',
      'FoundSocket',
      'HostSettings',
      'NetNamespace',
      'OwnerScan',
      'ProcessInfo',
      'ProcessScanStats',
      'ReadBoundedFileOptions',
      'ReadCountersOptions',
      'ReadCountersResult',
      'ReadLimits',
      'ReadNamespacesOptions',
      'ReadNamespacesResult',
      'ReadNote',
      'ReadNoteCode',
      'ReadSocketColumnsOptions',
      'ReadSocketColumnsResult',
      'ReadSocketOwnersOptions',
      'ReadSocketsOptions',
      'ReadSocketsResult',
      'RowOf',
      'SocketColumns',
      'SocketColumnsEnd',
      'SocketColumnsEvent',
      'SocketOwner',
      'StreamSocketColumnsOptions',
      'TakeSamplesOptions',
      'TakenSample',
      'WriteSnapshotOptions',
      'WrittenSnapshot',
    ],
  },
  './prometheus': {
    source: 'src/prometheus/index.ts',
    runtime: [
      'OPENMETRICS_CONTENT_TYPE',
      'PROMETHEUS_CONTENT_TYPE',
      'collectMetrics',
      'createMetricsCollector',
      'registerPromClientMetrics',
    ],
    types: [
      'MetricsCollector',
      'MetricsFormat',
      'MetricsOptions',
      'PromClientMetric',
      'PromClientMetricConfiguration',
      'PromClientModule',
      'PromClientRegistry',
    ],
  },
};

const DIST = process.env.PROCNET_TEST_DIST === '1';

/** The module of an entry under test: its source, or its built file in the dist run. */
async function runtimeNames(subpath: string, stem: string): Promise<string[]> {
  const surface = EXPORTS[subpath] as Surface;
  const file = DIST ? join(ROOT, 'dist', `${stem}.js`) : join(ROOT, surface.source);
  return Object.keys(await import(/* @vite-ignore */ file)).sort();
}

/** Every name each entry's source exports, values and types, as the TypeScript compiler sees them. */
function compiledNames(): Map<string, string[]> {
  const sources = Object.values(EXPORTS).map((s) => join(ROOT, s.source));
  const program = ts.createProgram(sources, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const [subpath, surface] of Object.entries(EXPORTS)) {
    const file = program.getSourceFile(join(ROOT, surface.source)) as ts.SourceFile;
    const module = checker.getSymbolAtLocation(file) as ts.Symbol;
    out.set(
      subpath,
      checker.getExportsOfModule(module).map((s) => s.name),
    );
  }
  return out;
}

describe('the export list of each entry', () => {
  it('is pinned for every entry of package.json exports, and only for those', () => {
    expect(Object.keys(EXPORTS).sort()).toEqual(PACKAGE_ENTRIES.map((e) => e.subpath).sort());
    const tsup = readFileSync(join(ROOT, 'tsup.config.ts'), 'utf8');
    for (const e of PACKAGE_ENTRIES) expect(tsup, e.subpath).toContain(`${e.stem}: '${EXPORTS[e.subpath]?.source}'`);
  });

  for (const e of PACKAGE_ENTRIES) {
    it(`${e.specifier}: exactly the pinned runtime names`, async () => {
      expect(await runtimeNames(e.subpath, e.stem)).toEqual(EXPORTS[e.subpath]?.runtime);
    });
  }

  it('exactly the pinned type names (what the compiler sees exported, less the runtime names)', () => {
    const compiled = compiledNames();
    for (const [subpath, surface] of Object.entries(EXPORTS)) {
      const runtime = new Set(surface.runtime);
      const types = (compiled.get(subpath) ?? []).filter((n) => !runtime.has(n)).sort();
      expect(types, subpath).toEqual(surface.types);
    }
  }, 60_000);

  it('keeps the core at about 30 runtime exports', () => {
    expect(EXPORTS['.']?.runtime.length).toBeLessThanOrEqual(30);
  });

  it('names every runtime export in the README table and in docs/api.md', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Exports'), readme.indexOf('\n## ', readme.indexOf('## Exports') + 1));
    const api = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    for (const e of PACKAGE_ENTRIES) {
      expect(table, e.specifier).toContain(`\`${e.specifier}\``);
      for (const name of EXPORTS[e.subpath]?.runtime ?? []) {
        expect(table, `${e.specifier} ${name} in the README`).toContain(`\`${name}\``);
        expect(api, `${e.specifier} ${name} in docs/api.md`).toMatch(new RegExp(`\`${name}[\`(]`));
      }
    }
  });
});
