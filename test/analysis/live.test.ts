/**
 * Live: the test opens sockets on loopback only (127.0.0.1, ::1), produces each situation for real in the running
 * kernel, reads /proc/net/tcp{,6} twice, and checks what the analyses say. Rows are filtered to this test's own
 * ports, so other programs on the host cannot change the outcome. Owners are taken from /proc/self/fd. Every socket
 * is closed afterwards; no process is started.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { endianness } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnalysisSocket,
  analyzeQueues,
  analyzeStates,
  type Sample,
  type SocketOwnerInfo,
  summarizeListeners,
} from '../../src/analysis/index.js';
import { type InetSocket, parseTable } from '../../src/index.js';

const LIVE = existsSync('/proc/net/tcp') && existsSync('/proc/self/fd');
const byteOrder = endianness() === 'LE' ? 'little' : 'big';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const open: Array<Server | Socket> = [];
const ports = new Set<number>();
let ipv6 = true;

async function listen(host: string, options: { pauseOnConnect?: boolean; allowHalfOpen?: boolean } = {}) {
  const server = createServer(options);
  const accepted: Socket[] = [];
  server.on('connection', (s) => {
    accepted.push(s);
    open.push(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  open.push(server);
  const port = (server.address() as { port: number }).port;
  ports.add(port);
  return { server, port, accepted };
}

async function connect(port: number, host: string) {
  const client = createConnection({ port, host });
  open.push(client);
  client.on('error', () => {});
  await new Promise<void>((r) => client.once('connect', r));
  ports.add(client.localPort as number);
  return client;
}

/** pid and comm for each socket inode this process holds. */
function ownInodes(): Map<string, SocketOwnerInfo[]> {
  const comm = readFileSync('/proc/self/comm', 'utf8').trim();
  const map = new Map<string, SocketOwnerInfo[]>();
  for (const fd of readdirSync('/proc/self/fd')) {
    let link: string;
    try {
      link = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) map.set(m[1] as string, [{ pid: process.pid, comm, fd: Number(fd) }]);
  }
  return map;
}

/** One sample of this test's own TCP sockets, with owners. */
function sample(): Sample {
  const owners = ownInodes();
  const rows: InetSocket[] = [
    ...parseTable('tcp', readFileSync('/proc/net/tcp'), { byteOrder }),
    ...(ipv6 && existsSync('/proc/net/tcp6') ? parseTable('tcp6', readFileSync('/proc/net/tcp6'), { byteOrder }) : []),
  ];
  const mine: AnalysisSocket[] = rows
    .filter((s) => ports.has(s.local.port) || ports.has(s.remote.port))
    .map((s) => ({ ...s, owners: s.inode === '0' ? [] : (owners.get(s.inode) ?? []) }));
  return { time: Date.now(), sockets: mine };
}

let reader: { port: number };
let writerClient: Socket;
let closeWait: { port: number };
let timeWait: { port: number };
let v6: { port: number } | undefined;
let samples: Sample[];

beforeAll(async () => {
  if (!LIVE) return;
  // 1. A server that never reads: the client's 1000 bytes stay in its receive queue.
  const r = await listen('127.0.0.1', { pauseOnConnect: true });
  reader = r;
  const c1 = await connect(r.port, '127.0.0.1');
  c1.write(Buffer.alloc(1000, 120));

  // 2. A client that writes far more than the non-reading server can buffer: its send queue stays full.
  const w = await listen('127.0.0.1', { pauseOnConnect: true });
  writerClient = await connect(w.port, '127.0.0.1');
  writerClient.write(Buffer.alloc(48 * 1024 * 1024, 121));

  // 3. Clients that close while the server never does: CLOSE_WAIT here, orphaned FIN_WAIT2 on the clients.
  const cw = await listen('127.0.0.1', { pauseOnConnect: true, allowHalfOpen: true });
  closeWait = cw;
  for (let i = 0; i < 3; i++) {
    const c = await connect(cw.port, '127.0.0.1');
    c.end();
    await new Promise<void>((res) => c.once('finish', res));
    c.destroy();
  }

  // 4. Clients that close first, then the server: TIME_WAIT on the clients' ephemeral ports.
  const tw = await listen('127.0.0.1');
  timeWait = tw;
  for (let i = 0; i < 5; i++) {
    const c = await connect(tw.port, '127.0.0.1');
    c.end();
    await new Promise<void>((res) => c.once('close', res));
  }
  for (const s of tw.accepted) s.destroy();

  // 5. An IPv6 loopback listener, when IPv6 is there.
  try {
    v6 = await listen('::1');
  } catch {
    ipv6 = false;
  }

  await sleep(200);
  const first = sample();
  await sleep(1200);
  samples = [first, sample()];
}, 30_000);

afterAll(async () => {
  for (const s of open) {
    if ('destroy' in s) s.destroy();
    else s.close();
  }
  await sleep(50);
});

describe.runIf(LIVE)('analyses on real loopback sockets', () => {
  it('reports the unread 1000 bytes, owned by this process', () => {
    const f = analyzeQueues(samples).find(
      (x) => x.id === 'recv-queue-backlog' && x.sockets.some((s) => s.local.port === reader.port),
    );
    const socket = f?.sockets.find((s) => s.local.port === reader.port);
    expect(socket?.trace).toMatchObject({ queue: 'receive', unit: 'bytes', first: 1000, last: 1000, trend: 'steady' });
    expect(socket?.trace?.durationMs).toBeGreaterThanOrEqual(1000);
    expect(f?.processes.map((p) => p.pid)).toContain(process.pid);
  });

  it("reports the blocked writer's send queue", () => {
    const f = analyzeQueues(samples).find(
      (x) => x.id === 'send-queue-backlog' && x.sockets.some((s) => s.local.port === writerClient.localPort),
    );
    const socket = f?.sockets.find((s) => s.local.port === writerClient.localPort);
    expect(socket?.state).toBe('ESTABLISHED');
    expect(socket?.trace?.min).toBeGreaterThan(0);
  });

  it('reports the CLOSE_WAIT sockets and the orphaned FIN_WAIT2 of their clients', () => {
    const options = { closeWaitWarning: 3, orphanFinWait2Warning: 3 };
    const findings = analyzeStates(samples, options);
    const leak = findings.find((f) => f.id === 'close-wait-leak');
    expect(leak?.sockets.map((s) => [s.state, s.local.port])).toEqual([
      ['CLOSE_WAIT', closeWait.port],
      ['CLOSE_WAIT', closeWait.port],
      ['CLOSE_WAIT', closeWait.port],
    ]);
    expect(leak?.processes.map((p) => p.pid)).toEqual([process.pid]);
    const orphans = findings.find((f) => f.id === 'orphaned-fin-wait2');
    expect(orphans?.sockets.filter((s) => s.remote.port === closeWait.port)).toHaveLength(3);
    expect(orphans?.sockets.every((s) => s.state === 'FIN_WAIT2' && s.inode === '0')).toBe(true);
  });

  it('counts the TIME_WAIT sockets towards one destination against the port range', () => {
    const range = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const localPortRange = [range[0], range[1]] as [number, number];
    const rows = (samples[1] as Sample).sockets.filter((s) => s.kind !== 'unix' && s.remote.port === timeWait.port);
    const size = localPortRange[1] - localPortRange[0] + 1;
    const [f] = analyzeStates(rows, { localPortRange, timeWaitWarningRatio: 5 / size });
    expect(f?.id).toBe('time-wait-ports');
    expect(f?.evidence).toMatchObject({
      busiestDestination: `127.0.0.1:${timeWait.port}`,
      busiestDestinationTimeWait: 5,
    });
  });

  it('lists this test’s listeners as reachable from this host only', () => {
    const summary = summarizeListeners((samples[1] as Sample).sockets);
    expect(summary.outside).toEqual([]);
    const mine = summary.local.map((l) => `${l.local.address}:${l.port}`);
    expect(mine).toContain(`127.0.0.1:${reader.port}`);
    if (v6) expect(mine).toContain(`::1:${v6.port}`);
    expect(summary.local.every((l) => l.exposure.scope === 'loopback')).toBe(true);
    expect(summary.local.find((l) => l.port === reader.port)?.processes.map((p) => p.pid)).toEqual([process.pid]);
  });
});
