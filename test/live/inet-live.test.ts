/**
 * Live: the test opens its own sockets on loopback, reads the running kernel's tables, and finds each one
 * with the right state, addresses and queue sizes.
 */
import { createSocket, type Socket as UdpSocketHandle } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { endianness } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InetTableKind, SocketByKind } from '../../src/index.js';
import { lib } from '../support/lib.js';

const byteOrder = endianness() === 'LE' ? 'little' : 'big';
const read = <K extends InetTableKind>(kind: K): SocketByKind[K][] =>
  lib.parseTable(kind, readFileSync(`/proc/net/${kind}`), { byteOrder });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const open: Array<Server | Socket | UdpSocketHandle> = [];
let server: Server;
let serverSide: Socket;
let client: Socket;
let server6: Server | undefined;
let udpA: UdpSocketHandle;
let udpB: UdpSocketHandle;

beforeAll(async () => {
  // The accepted side never reads, so the kernel keeps the client's bytes in its receive queue.
  server = createServer({ pauseOnConnect: true });
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', 7, r));
  client = createConnection((server.address() as { port: number }).port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', r));
  serverSide = await accepted;
  client.write(Buffer.alloc(1000, 120));
  open.push(server, client, serverSide);
  try {
    server6 = createServer();
    await new Promise<void>((r, j) => {
      server6?.once('error', j);
      server6?.listen(0, '::1', r);
    });
    open.push(server6);
  } catch {
    server6 = undefined; // IPv6 disabled on this machine
  }
  udpA = createSocket('udp4');
  await new Promise<void>((r) => udpA.bind(0, '127.0.0.1', r));
  udpB = createSocket('udp4');
  await new Promise<void>((r) => udpB.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => udpB.connect(udpA.address().port, '127.0.0.1', r));
  open.push(udpA, udpB);
  await sleep(100);
});

afterAll(async () => {
  for (const s of open) {
    if ('destroy' in s) s.destroy();
    else s.close();
  }
});

describe('live tables of this machine', () => {
  it('finds the listener with its backlog-free accept queue and the pair with 1000 unread bytes', () => {
    const tcp = read('tcp');
    const port = (server.address() as { port: number }).port;
    const listener = tcp.find((s) => s.local.port === port && s.state === 'LISTEN');
    expect(listener).toMatchObject({
      record: 'socket',
      local: { address: '127.0.0.1', port, family: 'IPv4' },
      remote: { address: '0.0.0.0', port: 0 },
      rxQueue: 0,
      uid: process.getuid?.(),
    });
    const cport = client.localPort as number;
    const srv = tcp.find((s) => s.local.port === port && s.remote.port === cport);
    expect(srv).toMatchObject({ state: 'ESTABLISHED', rxQueue: 1000, txQueue: 0 });
    const cli = tcp.find((s) => s.local.port === cport && s.remote.port === port);
    expect(cli).toMatchObject({ state: 'ESTABLISHED', rxQueue: 0, txQueue: 0, remote: { address: '127.0.0.1' } });
    expect(cli?.inode).not.toBe('0');
  });

  it('finds the IPv6 loopback listener in tcp6', (ctx) => {
    if (server6 === undefined) return ctx.skip('IPv6 is disabled on this machine');
    const port = (server6.address() as { port: number }).port;
    const l = read('tcp6').find((s) => s.local.port === port);
    expect(l).toMatchObject({ state: 'LISTEN', local: { address: '::1', family: 'IPv6' }, remote: { address: '::' } });
  });

  it('finds the unconnected and the connected UDP sockets', () => {
    const udp = read('udp');
    const a = udp.find((s) => s.local.port === udpA.address().port);
    const b = udp.find((s) => s.local.port === udpB.address().port);
    expect(a).toMatchObject({ state: 'unconnected', stateCode: 7, remote: { address: '0.0.0.0', port: 0 } });
    expect(b).toMatchObject({
      state: 'connected',
      stateCode: 1,
      remote: { address: '127.0.0.1', port: udpA.address().port },
    });
  });

  it('parses every live table without an invalid row', () => {
    for (const kind of ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6'] as const) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(`/proc/net/${kind}`);
      } catch {
        continue;
      }
      expect(() => lib.parseTable(kind, bytes, { byteOrder }), kind).not.toThrow();
    }
  });
});
