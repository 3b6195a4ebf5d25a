/**
 * A user of `procnet/schema`, compiled by test/consumers/consumers.test.ts against the packed package under every
 * consumer configuration: serialized sockets validated back into the library's types.
 */
import type { InetSocket, UnixSocket } from 'procnet';
import type { FoundSocket, SocketOwner } from 'procnet/node';
import { FoundSocketSchema, InetSocketSchema, SocketSchema, TcpRowSchema, UnixSocketSchema } from 'procnet/schema';

export function fromJson(text: string): Array<InetSocket | UnixSocket> {
  return SocketSchema.array().parse(JSON.parse(text));
}

export function listenersFromJson(text: string): string[] {
  const rows = TcpRowSchema.array().parse(JSON.parse(text));
  return rows.flatMap((row) => (row.record === 'socket' && row.state === 'LISTEN' ? [`${row.local.port}`] : []));
}

export function unixPath(value: unknown): string | null {
  const parsed = UnixSocketSchema.safeParse(value);
  if (!parsed.success) return parsed.error.message;
  const bytes: Uint8Array | null = parsed.data.pathBytes;
  return bytes === null ? null : parsed.data.path;
}

export function isInet(value: unknown): value is InetSocket {
  return InetSocketSchema.safeParse(value).success;
}

export function foundFromJson(text: string): FoundSocket[] {
  const rows: FoundSocket[] = FoundSocketSchema.array().parse(JSON.parse(text));
  const owner: SocketOwner | undefined = rows[0]?.owners?.[0];
  // @ts-expect-error: a pid is a number.
  const pid: string = owner?.pid ?? '';
  return pid === '' ? rows : [];
}
