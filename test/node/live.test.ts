/**
 * Live: the test opens its own loopback sockets, reads the running kernel's tables with procnet/node, and finds
 * each one with its owners; a child that inherits a socket is a second owner; a namespace made with
 * `unshare -n` is seen only through its own process.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket as UdpSocketHandle } from 'node:dgram';
import { readlinkSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveAsync } from '../../src/node/drive.js';
import type { FoundSocket, ReadSocketsResult } from '../../src/node/index.js';
import { readNamespacesPlan } from '../../src/node/namespaces.js';
import type { InetSocket } from '../../src/types.js';
import {
  closeAll,
  fdOf,
  ownFdsOf,
  portOf,
  sleep,
  startChild,
  startInNetNamespace,
  tcpListener,
  tcpPair,
  udpSocket,
} from '../support/live.js';
import { nodeLib } from '../support/node-lib.js';

let server: Server;
let client: Socket;
let accepted: Socket;
let udp: UdpSocketHandle;
let server6: Server | undefined;
let heir: ChildProcess;

const byPorts = (r: ReadSocketsResult, local: number, remote = 0) =>
  r.sockets.filter((s) => s.kind !== 'unix' && s.local.port === local && s.remote.port === remote);
const nsOf = (pid: number | 'self') => /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/net`))?.[1];

beforeAll(async () => {
  server = await tcpListener();
  ({ client, accepted } = await tcpPair(server));
  udp = await udpSocket();
  try {
    server6 = await tcpListener('::1');
  } catch {
    server6 = undefined; // IPv6 disabled here
  }
  // A child that inherits the client socket as its fd 3: two processes hold one socket.
  heir = await startChild('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', fdOf(client)] });
  await sleep(50);
});

afterAll(closeAll);

describe('readSockets (live)', () => {
  it('finds the test sockets with their state, addresses and ports, tagged with this namespace', async () => {
    const r = await nodeLib.readSockets();
    expect(r.source.live).toBe(true);
    expect(r.byteOrderSource).toBe('host');
    expect(r.processes).toBeNull();
    const port = portOf(server);
    const [listener] = byPorts(r, port);
    expect(listener).toMatchObject({
      kind: 'tcp',
      state: 'LISTEN',
      local: { address: '127.0.0.1', port, family: 'IPv4' },
      remote: { address: '0.0.0.0', port: 0 },
      namespace: nsOf('self'),
      owners: null,
    });
    expect(byPorts(r, client.localPort as number, port)[0]).toMatchObject({
      state: 'ESTABLISHED',
      remote: { address: '127.0.0.1', port },
    });
    expect(byPorts(r, port, client.localPort as number)[0]).toMatchObject({ state: 'ESTABLISHED' });
    const u = byPorts(r, udp.address().port)[0];
    expect(u).toMatchObject({ kind: 'udp', state: 'unconnected', local: { address: '127.0.0.1' } });
    if (server6) {
      expect(byPorts(r, portOf(server6))[0]).toMatchObject({ kind: 'tcp6', local: { address: '::1' } });
    }
    // Every row carries the same two fields.
    for (const s of r.sockets) expect(Object.keys(s).slice(-2)).toEqual(['namespace', 'owners']);
  });

  it('reads only the requested kinds and reports none of the others', async () => {
    const r = await nodeLib.readSockets({ kinds: ['udp'] });
    expect(new Set(r.sockets.map((s) => s.kind))).toEqual(new Set(['udp']));
    expect(r.notes).toEqual([]);
  });

  it('with processes: true, names this process and its fd as owner, and both holders of an inherited socket', async () => {
    const r = await nodeLib.readSockets({ processes: true });
    expect(r.processes).toMatchObject({ source: 'live' });
    expect(r.processes?.scanned).toBeGreaterThan(1);
    const port = portOf(server);
    const listener = byPorts(r, port)[0] as FoundSocket;
    expect(listener.owners).toEqual([
      expect.objectContaining({ pid: process.pid, fd: fdOf(server), comm: expect.any(String), uid: 0 }),
    ]);
    expect(listener.owners?.[0]?.cmdline?.length).toBeGreaterThan(0);
    const udpRow = byPorts(r, udp.address().port)[0] as FoundSocket;
    expect(udpRow.owners).toEqual([expect.objectContaining({ pid: process.pid, fd: ownFdsOf(udpRow.inode)[0] })]);
    const serverSide = byPorts(r, port, client.localPort as number)[0] as FoundSocket;
    expect(serverSide.owners).toEqual([expect.objectContaining({ pid: process.pid, fd: fdOf(accepted) })]);
    const shared = byPorts(r, client.localPort as number, port)[0] as FoundSocket;
    const owners = shared.owners ?? [];
    expect(owners).toHaveLength(2);
    expect(owners).toContainEqual(expect.objectContaining({ pid: process.pid, fd: fdOf(client) }));
    expect(owners).toContainEqual(
      expect.objectContaining({ pid: heir.pid, fd: 3, comm: 'sleep', cmdline: ['sleep', '60'] }),
    );
    // Sorted by pid.
    expect(owners.map((o) => o.pid)).toEqual([...owners.map((o) => o.pid)].sort((a, b) => a - b));
    // Inode-less rows (TIME_WAIT, requests, unaccepted children) get [], never null, once processes were scanned.
    for (const s of r.sockets) expect(s.owners).not.toBeNull();
  });

  it('readSocketsSync gives the same owners', () => {
    const r = nodeLib.readSocketsSync({ kinds: ['tcp'], processes: true });
    const shared = byPorts(r, client.localPort as number, portOf(server))[0] as FoundSocket;
    expect(shared.owners?.map((o) => o.pid).sort()).toEqual([process.pid, heir.pid].sort());
  });

  it('readSocketOwners maps only the inodes asked for', async () => {
    const r = await nodeLib.readSockets({ kinds: ['tcp'] });
    const inode = (byPorts(r, portOf(server))[0] as FoundSocket).inode;
    const scan = await nodeLib.readSocketOwners({ inodes: [inode] });
    expect([...scan.owners.keys()]).toEqual([inode]);
    expect(scan.owners.get(inode)?.[0]).toMatchObject({ pid: process.pid, fd: fdOf(server) });
  });

  it('rejects unknown kinds and bad options before reading anything', async () => {
    await expect(nodeLib.readSockets({ kinds: ['sctp' as never] })).rejects.toThrow(/unknown table kind/);
    await expect(nodeLib.readSockets({ concurrency: 0 })).rejects.toThrow(RangeError);
    await expect(nodeLib.readSockets({ userHz: 0 })).rejects.toThrow(RangeError);
    await expect(nodeLib.readSockets({ pid: 0x7fffffff })).rejects.toThrow(/no process/);
  });
});

describe('network namespaces (unshare -n)', () => {
  let inNs: ChildProcess;
  let nsPort: number;

  beforeAll(async () => {
    nsPort = 20000 + Math.floor(Math.random() * 20000);
    inNs = await startInNetNamespace([
      'import socket, sys, time',
      's = socket.socket()',
      's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
      `s.bind(("127.0.0.1", ${nsPort}))`,
      's.listen(1)',
      'print("ready", flush=True)',
      'time.sleep(60)',
    ]);
  });

  it('reads the namespace of a process with the pid option; its listener is not in the default one', async () => {
    const pid = inNs.pid as number;
    const theirs = await nodeLib.readSockets({ pid, kinds: ['tcp'] });
    expect(theirs.source.netDir).toBe(`/proc/${pid}/net`);
    const listener = theirs.sockets.find((s) => s.kind === 'tcp' && s.local.port === nsPort) as FoundSocket;
    expect(listener).toMatchObject({ state: 'LISTEN', local: { address: '127.0.0.1' }, namespace: nsOf(pid) });
    expect(listener.namespace).not.toBe(nsOf('self'));
    const ours = await nodeLib.readSockets({ kinds: ['tcp'] });
    expect(ours.sockets.some((s) => s.inode === listener.inode)).toBe(false);
    // The test's own listener is not in theirs.
    expect(theirs.sockets.some((s) => s.kind === 'tcp' && s.local.port === portOf(server))).toBe(false);
  });

  it('readNamespaces reads every namespace once and tags each socket with its own', async () => {
    const pid = inNs.pid as number;
    const r = await nodeLib.readNamespaces({ kinds: ['tcp', 'tcp6', 'udp'], processes: true });
    const mine = r.namespaces.find((n) => n.current);
    const theirs = r.namespaces.find((n) => n.inode === nsOf(pid));
    expect(mine?.inode).toBe(nsOf('self'));
    expect(theirs?.pids).toContain(pid);
    expect(theirs?.readFrom).not.toBeNull();
    expect(new Set(r.namespaces.map((n) => n.inode)).size).toBe(r.namespaces.length);
    const nsListener = r.sockets.filter((s) => s.kind === 'tcp' && s.local.port === nsPort && s.state === 'LISTEN');
    expect(nsListener).toHaveLength(1);
    expect(nsListener[0]).toMatchObject({ namespace: theirs?.inode });
    expect(nsListener[0]?.owners).toEqual([expect.objectContaining({ pid, comm: 'python3' })]);
    // The test's listener once, in the test's namespace: a namespace is read once, not once per process.
    const ourListener = r.sockets.filter(
      (s) => s.kind === 'tcp' && s.local.port === portOf(server) && s.state === 'LISTEN',
    );
    expect(ourListener).toHaveLength(1);
    expect(ourListener[0]).toMatchObject({ namespace: mine?.inode });
    const inodes = r.sockets.filter((s) => s.inode !== '0').map((s) => s.inode);
    expect(new Set(inodes).size).toBe(inodes.length);
  });

  it('reads the same sockets of every namespace with the tables read in workers or whole', async () => {
    const key = (s: FoundSocket & InetSocket) =>
      `${s.namespace} ${s.kind} ${s.inode} ${s.local.address}:${s.local.port}`;
    const kinds = ['tcp', 'tcp6', 'udp'] as const;
    const read = (table: boolean) => driveAsync(readNamespacesPlan({ kinds: [...kinds] }, { scan: 'auto', table }), 32);
    const whole = await read(false);
    const inWorkers = await read(true);
    const listeners = (r: typeof whole) =>
      r.sockets
        .filter((s) => s.state === 'LISTEN')
        .map((s) => key(s as FoundSocket & InetSocket))
        .sort();
    expect(listeners(inWorkers)).toEqual(listeners(whole));
    expect(
      listeners(whole).some((k) => k.startsWith(`${nsOf(inNs.pid as number)} tcp `) && k.endsWith(`:${nsPort}`)),
    ).toBe(true);
  });

  it('readNamespacesSync agrees, and a dump root is refused', async () => {
    const r = nodeLib.readNamespacesSync({ kinds: ['tcp'] });
    expect(r.sockets.some((s) => s.kind === 'tcp' && s.local.port === nsPort)).toBe(true);
    await expect(nodeLib.readNamespaces({ root: '/tmp' })).rejects.toThrow(/needs a mounted procfs/);
  });
});
