/**
 * A user of `procnet/node`, compiled by test/consumers/consumers.test.ts against the packed package under every
 * consumer configuration (no top-level await: the same file is compiled as CommonJS too).
 */
import { type ReadSocketsResult, readCountersSync, readSockets, readSocketsSync } from 'procnet/node';

export async function listening(root: string): Promise<string[]> {
  const result: ReadSocketsResult<'tcp' | 'tcp6' | 'unix'> = await readSockets({
    root,
    kinds: ['tcp', 'tcp6', 'unix'],
    processes: true,
  });
  const out: string[] = [];
  for (const socket of result.sockets) {
    const owners = socket.owners?.map((o) => `${o.pid}/${o.comm ?? '?'}`).join(',') ?? 'not scanned';
    if (socket.kind === 'unix') {
      if (socket.listening) out.push(`${socket.path ?? '(unnamed)'} ${owners}`);
    } else if (socket.record === 'socket' && socket.state === 'LISTEN') {
      out.push(`${socket.local.address}:${socket.local.port} ${owners} ns ${socket.namespace ?? '?'}`);
    } else {
      // @ts-expect-error: only full sockets have a retransmit timeout.
      out.push(String(socket.rtoMs));
    }
  }
  for (const note of result.notes) out.push(`note ${note.code}: ${note.message}`);
  return out;
}

export function udpDrops(root: string): number {
  const { sockets } = readSocketsSync({ root, kinds: ['udp', 'udp6'] });
  return sockets.reduce((sum, s) => sum + (s.drops ?? 0), 0);
}

export function listenOverflows(root: string): bigint | undefined {
  return readCountersSync({ root }).counters.netstat?.TcpExt?.ListenOverflows;
}
