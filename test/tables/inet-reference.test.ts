/**
 * The 6.18 reference capture (fixtures/spec-capture-…): every row checked against the kernel-source examples of the spec
 * and against ss output taken at the same moment.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InetTableKind, TcpRow } from '../../src/index.js';
import { compareWithSs } from '../support/differential.js';
import { lib } from '../support/lib.js';
import { SPEC_CAPTURE } from '../support/paths.js';
import { parseSsOutput } from '../support/ss.js';

const KINDS: InetTableKind[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6'];
const read = (kind: string) => readFileSync(`${SPEC_CAPTURE}proc-net-${kind}`);
const tcp = lib.parseTable('tcp', read('tcp'));
const tcp6 = lib.parseTable('tcp6', read('tcp6'));
const byPorts = (rows: TcpRow[], local: number, remote: number) =>
  rows.filter((r) => r.local.port === local && r.remote.port === remote);

describe('reference capture, Linux 6.18', () => {
  it('parses every table with the row count of the file', () => {
    for (const kind of KINDS) {
      const text = read(kind).toString('latin1');
      const lines = text.split('\n').filter((l) => l.trim() !== '').length - 1;
      expect(lib.parseTable(kind, read(kind)), kind).toHaveLength(lines);
    }
  });

  it('decodes a LISTEN row with an un-accepted child and TCP_FASTOPEN 5', () => {
    const [l] = byPorts(tcp, 40001, 0);
    expect(l).toMatchObject({
      record: 'socket',
      state: 'LISTEN',
      stateCode: 10,
      local: { address: '127.0.0.1', port: 40001, family: 'IPv4' },
      remote: { address: '0.0.0.0', port: 0, family: 'IPv4' },
      rxQueue: 1,
      txQueue: 0,
      inode: '103926',
      refcount: 2,
      pointer: '000000004fc0fb92',
      rtoMs: 1000,
      atoMs: 0,
      cwnd: 10,
      fastOpenQueueLimit: 5,
      ssthresh: null,
      slot: 3,
    });
  });

  it('decodes queues, timers and the ssthresh column', () => {
    expect(byPorts(tcp, 40001, 40011)[0]).toMatchObject({
      rxQueue: 1000,
      ssthresh: null,
      quickAck: 16,
      pingpong: false,
    });
    expect(byPorts(tcp, 40012, 40001)[0]?.timer).toEqual({ kind: 'keepalive', code: 2, ticks: 0xafb81, ms: 7197450 });
    expect(byPorts(tcp, 40014, 40002)[0]).toMatchObject({ txQueue: 0x5c000, timer: { kind: 'probe', code: 4 } });
    expect(byPorts(tcp, 40028, 40010)[0]).toMatchObject({ state: 'SYN_SENT', txQueue: 1, retransmits: 1, cwnd: 1 });
    expect(byPorts(tcp, 40031, 40002)[0]).toMatchObject({ state: 'FIN_WAIT1', txQueue: 0x2d9001 });
    expect(byPorts(tcp, 40006, 40033)[0]).toMatchObject({ state: 'LAST_ACK', rxQueue: 1 });
    expect(byPorts(tcp, 40032, 40002)[0]).toMatchObject({ state: 'CLOSING' });
    expect(byPorts(tcp, 40007, 40017)[0]).toMatchObject({ state: 'CLOSE_WAIT', rxQueue: 1 });
    expect(tcp.find((r) => r.uid === 65534)).toMatchObject({ state: 'LISTEN', local: { port: 40030 } });
  });

  it('models TIME_WAIT, orphaned FIN_WAIT2 and request sockets as their own records', () => {
    const tw = byPorts(tcp, 40015, 40005)[0];
    expect(tw).toMatchObject({ record: 'timewait', state: 'TIME_WAIT', stateCode: 6, inode: '0', refcount: 3 });
    expect(tw?.timer).toEqual({ kind: 'timewait', code: 3, ticks: 0x16c4, ms: 58280 });
    expect(tw).not.toHaveProperty('rtoMs');
    const orphan = byPorts(tcp, 40017, 40007)[0];
    expect(orphan).toMatchObject({ record: 'timewait', state: 'FIN_WAIT2', stateCode: 5 });
    const fw2 = byPorts(tcp, 40018, 40007)[0];
    expect(fw2).toMatchObject({ record: 'socket', state: 'FIN_WAIT2', inode: '104001' });
    const req = byPorts(tcp, 40008, 40019)[0];
    expect(req).toMatchObject({ record: 'request', state: 'SYN_RECV', stateCode: 3, refcount: 0, retransmits: 1 });
    expect(req?.timer.kind).toBe('retransmit');
    const req6 = tcp6.find((r) => r.record === 'request');
    expect(req6).toMatchObject({ local: { address: '::1', port: 40009 }, remote: { address: '::1', port: 40026 } });
  });

  it('keeps IPv4-mapped peers IPv6 and prints them canonically', () => {
    const mapped = byPorts(tcp6, 40004, 40022)[0];
    expect(mapped?.local).toEqual({ address: '::ffff:127.0.0.1', port: 40004, family: 'IPv6' });
    expect(mapped?.remote).toEqual({ address: '::ffff:127.0.0.1', port: 40022, family: 'IPv6' });
    expect(byPorts(tcp6, 40004, 0)[0]?.local.address).toBe('::');
  });

  it('decodes datagram, raw and ping tables', () => {
    const udp = lib.parseTable('udp', read('udp'));
    expect(udp.find((r) => r.local.port === 40101)).toMatchObject({ state: 'unconnected', rxQueue: 2496, drops: 0 });
    expect(udp.find((r) => r.local.port === 40105)).toMatchObject({ drops: 199 });
    expect(udp.find((r) => r.local.port === 40102)).toMatchObject({
      state: 'connected',
      stateCode: 1,
      remote: { address: '127.0.0.1', port: 40101 },
    });
    const raw = lib.parseTable('raw', read('raw'));
    expect(raw.map((r) => r.ipProtocol).sort()).toEqual([1, 253, 253, 255]);
    expect(raw.find((r) => r.state === 'connected')).toMatchObject({
      local: { address: '127.0.0.1', port: 0 },
      remote: { address: '127.0.0.1', port: 0 },
      ipProtocol: 253,
    });
    expect(lib.parseTable('raw6', read('raw6')).map((r) => r.ipProtocol)).toEqual([58, 253]);
    expect(lib.parseTable('icmp', read('icmp'))[0]).toMatchObject({ local: { port: 40201 }, rxQueue: 832 });
    expect(lib.parseTable('icmp6', read('icmp6'))[0]).toMatchObject({ local: { address: '::1', port: 40202 } });
  });

  it('agrees with ss -tuanxpe row for row (state, addresses, ports, queues, inode)', () => {
    const ss = parseSsOutput(readFileSync(`${SPEC_CAPTURE}ss-tuanxpe.txt`, 'utf8'));
    const rows = [...tcp, ...tcp6, ...lib.parseTable('udp', read('udp')), ...lib.parseTable('udp6', read('udp6'))];
    expect(rows.length).toBeGreaterThan(40);
    expect(compareWithSs(rows, ss)).toEqual([]);
  });

  it('reproduces every table byte for byte with formatTable', () => {
    for (const kind of KINDS) {
      const text = read(kind).toString('latin1');
      expect(lib.formatTable(kind, lib.parseTable(kind, text)), kind).toBe(text);
    }
  });

  it('reads the user-namespace view (uids mapped to 65534)', () => {
    const rows = lib.parseTable('tcp', readFileSync(`${SPEC_CAPTURE}userns-proc-net-tcp`));
    expect(rows.length).toBe(tcp.length);
    expect(rows.filter((r) => r.record === 'socket').every((r) => r.uid === 65534)).toBe(true);
  });
});
