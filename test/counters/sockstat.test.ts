import { describe, expect, it } from 'vitest';
import { getSockstatMemory, parseSockstat } from '../../src/counters/index.js';
import type { ProcNetParseError } from '../../src/errors.js';
import { CORPUS, SPEC_CAPTURE } from '../support/paths.js';
import { catchError } from './catch-error.js';
import { readSample, readSampleBytes } from './samples.js';

const CAPTURE_SOCKSTAT = readSample(`${SPEC_CAPTURE}proc-net-sockstat`);
const CAPTURE_SOCKSTAT6 = readSample(`${SPEC_CAPTURE}proc-net-sockstat6`);

describe('parseSockstat on real samples', () => {
  it('reads the 6.18 capture', () => {
    expect(parseSockstat(CAPTURE_SOCKSTAT)).toEqual({
      sockets: { used: 76n },
      TCP: { inuse: 31n, orphan: 0n, tw: 3n, alloc: 20269n, mem: 4053n },
      UDP: { inuse: 4n, mem: 0n },
      UDPLITE: { inuse: 1n },
      RAW: { inuse: 4n },
      FRAG: { inuse: 0n, memory: 0n },
    });
    expect(parseSockstat(CAPTURE_SOCKSTAT6, { file: 'sockstat6' })).toEqual({
      TCP6: { inuse: 8n },
      UDP6: { inuse: 3n },
      UDPLITE6: { inuse: 1n },
      RAW6: { inuse: 2n },
      FRAG6: { inuse: 0n, memory: 0n },
    });
  });

  it('parses sockstat and sockstat6 joined', () => {
    const both = parseSockstat(CAPTURE_SOCKSTAT + CAPTURE_SOCKSTAT6);
    expect(Object.keys(both)).toEqual([
      'sockets',
      'TCP',
      'UDP',
      'UDPLITE',
      'RAW',
      'FRAG',
      'TCP6',
      'UDP6',
      'UDPLITE6',
      'RAW6',
      'FRAG6',
    ]);
  });

  it('reads every corpus sample', () => {
    expect(parseSockstat(readSample(`${CORPUS}procfs/sockstat`)).TCP).toEqual({
      inuse: 35n,
      orphan: 0n,
      tw: 4n,
      alloc: 59n,
      mem: 22n,
    });
    expect(parseSockstat(readSampleBytes(`${CORPUS}procfs/sockstat`)).UDP).toEqual({ inuse: 12n, mem: 62n });
    expect(parseSockstat(readSample(`${CORPUS}procfs/sockstat6`)).RAW6).toEqual({ inuse: 1n });
    expect(parseSockstat(readSample(`${CORPUS}goprocinfo/sockstat`)).sockets).toEqual({ used: 231n });
    expect(parseSockstat(readSample(`${CORPUS}goprocinfo/sockstat6`)).TCP6).toEqual({ inuse: 4n });
    expect(parseSockstat(readSample(`${CORPUS}node_exporter/sockstat`)).TCP?.alloc).toBe(17n);
  });

  it('reads the RHEL4-shaped sample: UDP without mem, no UDPLITE line', () => {
    const sockstat = parseSockstat(readSample(`${CORPUS}node_exporter/sockstat_rhe4`));
    expect(Object.keys(sockstat)).toEqual(['sockets', 'TCP', 'UDP', 'RAW', 'FRAG']);
    expect(sockstat.UDP).toEqual({ inuse: 0n });
    expect(getSockstatMemory(sockstat)).toEqual({
      tcpBytes: 4096n,
      udpBytes: undefined,
      fragBytes: 0n,
      frag6Bytes: undefined,
    });
  });
});

describe('getSockstatMemory', () => {
  const both = parseSockstat(CAPTURE_SOCKSTAT + CAPTURE_SOCKSTAT6);

  it('turns TCP and UDP pages into bytes with a 4096-byte page by default', () => {
    expect(getSockstatMemory(both)).toEqual({ tcpBytes: 16601088n, udpBytes: 0n, fragBytes: 0n, frag6Bytes: 0n });
  });

  it('uses the given page size, as a number or a bigint', () => {
    expect(getSockstatMemory(both, { pageSize: 65536 }).tcpBytes).toBe(4053n * 65536n);
    expect(getSockstatMemory(both, { pageSize: 16384n }).tcpBytes).toBe(4053n * 16384n);
    const udp = parseSockstat('UDP: inuse 2 mem 9007199254740993\nFRAG: inuse 1 memory 2048\n');
    expect(getSockstatMemory(udp)).toEqual({
      tcpBytes: undefined,
      udpBytes: 9007199254740993n * 4096n,
      fragBytes: 2048n,
      frag6Bytes: undefined,
    });
  });

  it('rejects a page size that is not a positive integer', () => {
    for (const pageSize of [0, -4096, 4096.5, Number.NaN, 0n]) {
      expect(() => getSockstatMemory(both, { pageSize })).toThrow(RangeError);
    }
  });
});

describe('parseSockstat on synthetic input', () => {
  it('keeps unknown keys and protos, and signed values', () => {
    expect(parseSockstat('TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 1 pressure 1\nMPTCP: inuse -1\n')).toEqual({
      TCP: { inuse: 1n, orphan: 0n, tw: 0n, alloc: 1n, mem: 1n, pressure: 1n },
      MPTCP: { inuse: -1n },
    });
  });

  it('reports a key without a value, a bad value, a bad key and a repeated key, and keeps the other lines', () => {
    const text =
      'sockets: used 1\nTCP: inuse 1 orphan\nUDP: inuse x\nRAW: 5 inuse\nFRAG: inuse 1 inuse 2\nFRAG6: inuse 0\n';
    const errors: ProcNetParseError[] = [];
    const sockstat = parseSockstat(text, { onInvalidRow: (e) => errors.push(e) });
    expect(sockstat).toEqual({ sockets: { used: 1n }, FRAG6: { inuse: 0n } });
    expect(errors.map((e) => [e.code, e.line, e.column, e.field, e.text])).toEqual([
      ['COUNTER_MISMATCH', 2, 14, 'TCP', 'orphan'],
      ['BAD_NUMBER', 3, 12, 'UDP.inuse', 'x'],
      ['BAD_COUNTER_NAME', 4, 6, 'RAW', '5'],
      ['DUPLICATE_COUNTER', 5, 15, 'FRAG.inuse', 'inuse'],
    ]);
    expect(catchError(() => parseSockstat(text)).message).toBe(
      'sockstat:2:14 (field TCP): the last key of TCP has no value: "orphan"',
    );
  });

  it('reports a line without a protocol prefix and a cut last line', () => {
    expect(catchError(() => parseSockstat('TCP inuse 1\n')).code).toBe('BAD_SEPARATOR');
    expect(catchError(() => parseSockstat('TCP: inuse 1\nUDP: inuse')).code).toBe('TRUNCATED_ROW');
    expect(catchError(() => parseSockstat('')).code).toBe('MISSING_HEADER');
  });
});
