/**
 * Live-test helpers: loopback sockets opened by the test, child processes that are always stopped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocketHandle } from 'node:dgram';
import { readdirSync, readlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Every handle and child this module created, closed by {@link closeAll}. */
const opened: Array<Server | Socket | UdpSocketHandle> = [];
const children: ChildProcess[] = [];

/** The fd of a TCP server or socket (Node keeps it on the handle, Linux only). */
export function fdOf(handle: Server | Socket): number {
  return (handle as unknown as { _handle: { fd: number } })._handle.fd;
}

/** This process's fds that hold socket `inode`, found with plain readlink (an independent check of procnet). */
export function ownFdsOf(inode: string): number[] {
  return readdirSync('/proc/self/fd')
    .filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    })
    .map(Number);
}

export async function tcpListener(host = '127.0.0.1'): Promise<Server> {
  const server = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  opened.push(server);
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}

/** A connected pair: the client and the accepted server side. */
export async function tcpPair(server: Server): Promise<{ client: Socket; accepted: Socket }> {
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const { address, port } = server.address() as { address: string; port: number };
  const client = createConnection(port, address);
  await new Promise<void>((r) => client.once('connect', r));
  const a = await accepted;
  opened.push(client, a);
  return { client, accepted: a };
}

export async function udpSocket(host = '127.0.0.1'): Promise<UdpSocketHandle> {
  const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((r) => s.bind(0, host, r));
  opened.push(s);
  return s;
}

/** Starts a child and waits for `ready` on its stdout (or fails after `ms`). */
export function startChild(
  command: string,
  args: string[],
  options: { stdio?: Parameters<typeof spawn>[2]['stdio']; ready?: string; ms?: number } = {},
): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  if (options.ready === undefined) {
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve(child));
      child.once('error', reject);
    });
  }
  const ready = options.ready;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${command}: no "${ready}" in time; stderr: ${err}`)),
      options.ms ?? 10_000,
    );
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}; stderr: ${err}`));
    });
  });
}

/**
 * Runs Python `lines` in a network namespace of its own (`unshare -n`, loopback up) and waits until it prints `ready`.
 * unshare and sh exec in place: the child's pid is python's, and `/proc/<pid>/net` is that namespace.
 */
export function startInNetNamespace(lines: readonly string[]): Promise<ChildProcess> {
  const py = lines.join('\n');
  return startChild('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec /usr/bin/python3 -c "$0"', py], {
    ready: 'ready',
  });
}

/** Closes every socket and kills every child this module started (each by its own pid). */
export async function closeAll(): Promise<void> {
  for (const s of opened.splice(0)) {
    if ('destroy' in s) s.destroy();
    else s.close();
  }
  await Promise.all(
    children.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small fixed set of sockets in a network namespace of its own ({@link startInNetNamespace}): per family, a TCP
 * listener with 20 connections (both ends) and a bound UDP socket; and a unix listener named `@<unixName>`.
 */
export function startSocketsInNetNamespace(unixName: string): Promise<ChildProcess> {
  return startInNetNamespace([
    'import socket, time',
    'keep = []',
    'for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):',
    '    s = socket.socket(fam); s.bind((host, 0)); s.listen(64); keep.append(s)',
    '    for _ in range(20):',
    '        c = socket.socket(fam); c.connect(s.getsockname()[:2]); keep.append(c); keep.append(s.accept()[0])',
    '    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((host, 0)); keep.append(u)',
    `x = socket.socket(socket.AF_UNIX); x.bind("\\0${unixName}"); x.listen(1); keep.append(x)`,
    'print("ready", flush=True)',
    'time.sleep(60)',
  ]);
}
