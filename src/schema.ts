/**
 * procnet/schema: zod schemas for validating what procnet writes (JSON from another process, a file, a queue): the
 * parsed rows, and the rows of `procnet/node` and of the command's `--json`/`--ndjson` (with `namespace` and
 * `owners`). Each schema is checked against its hand-written interface by a type test (test/schema.test.ts), so the
 * two cannot drift; the build writes JSON Schema files from them (scripts/build-json-schema.mjs). The parsers never
 * run these: zod is for untrusted serialized data, not for every parsed row.
 * @module
 */
import { z } from 'zod';
import { TcpState } from './decode/tcp-state.js';
import { base64ToBytes } from './format/json.js';

const uint = z.number().int().nonnegative();
const int = z.number().int();

export const AddressFamilySchema = z.enum(['IPv4', 'IPv6']);
export const TcpStateSchema = z.enum(TcpState);
export const TimerKindSchema = z.enum(['off', 'retransmit', 'keepalive', 'timewait', 'probe', 'unknown']);
export const DatagramStateSchema = z.enum(['connected', 'unconnected', 'unknown']);

export const EndpointSchema = z.object({
  address: z.string(),
  port: uint.max(0xffff),
  family: AddressFamilySchema,
});

export const SocketTimerSchema = z.object({
  kind: TimerKindSchema,
  code: uint,
  ticks: int,
  ms: z.number(),
});

const base = {
  family: AddressFamilySchema,
  slot: uint,
  local: EndpointSchema,
  remote: EndpointSchema,
  stateCode: uint,
  txQueue: uint,
  rxQueue: uint,
  timer: SocketTimerSchema,
  retransmits: uint,
  uid: int,
  probes: int,
  inode: z.string().regex(/^\d+$/),
  refcount: int,
  pointer: z.string(),
  extra: z.array(z.string()).readonly(),
};

const tcpBase = {
  ...base,
  kind: z.enum(['tcp', 'tcp6']),
  protocol: z.literal('tcp'),
  state: TcpStateSchema,
};

export const TcpSocketSchema = z.object({
  ...tcpBase,
  record: z.literal('socket'),
  rtoMs: z.number().nonnegative(),
  atoMs: z.number().nonnegative(),
  quickAck: uint,
  pingpong: z.boolean(),
  cwnd: uint,
  ssthresh: uint.nullable(),
  fastOpenQueueLimit: int.nullable(),
});

export const TcpTimeWaitSocketSchema = z.object({ ...tcpBase, record: z.literal('timewait') });

export const TcpRequestSocketSchema = z.object({ ...tcpBase, record: z.literal('request') });

/** Any row of /proc/net/tcp or tcp6, by its `record`. */
export const TcpRowSchema = z.discriminatedUnion('record', [
  TcpSocketSchema,
  TcpTimeWaitSocketSchema,
  TcpRequestSocketSchema,
]);

const datagramBase = { ...base, state: DatagramStateSchema, drops: int.nullable() };

export const UdpSocketSchema = z.object({
  ...datagramBase,
  kind: z.enum(['udp', 'udp6', 'udplite', 'udplite6']),
  protocol: z.enum(['udp', 'udplite']),
});

export const RawSocketSchema = z.object({
  ...datagramBase,
  kind: z.enum(['raw', 'raw6']),
  protocol: z.literal('raw'),
  ipProtocol: uint.max(0xffff),
});

export const IcmpSocketSchema = z.object({
  ...datagramBase,
  kind: z.enum(['icmp', 'icmp6']),
  protocol: z.literal('icmp'),
});

/** Any inet socket (tcp full/TIME_WAIT/request rows, udp, raw, icmp). */
export const InetSocketSchema = z.union([TcpRowSchema, UdpSocketSchema, RawSocketSchema, IcmpSocketSchema]);

export const UnixSocketTypeSchema = z.enum(['stream', 'dgram', 'raw', 'rdm', 'seqpacket', 'unknown']);
export const UnixSocketStateSchema = z.enum([
  'free',
  'unconnected',
  'connecting',
  'connected',
  'disconnecting',
  'unknown',
]);
export const UnixSuspicionSchema = z.enum(['after-newline-path', 'duplicate-inode', 'no-owner']);

/**
 * Written out so the declarations say `Uint8Array`: inferred, TypeScript 6 prints `Uint8Array<ArrayBufferLike>`, which
 * TypeScript before 5.7 rejects (TS2315) in a consumer that checks declaration files.
 */
type PathBytesSchemaType = z.ZodUnion<
  readonly [z.ZodCustom<Uint8Array, Uint8Array>, z.ZodPipe<z.ZodString, z.ZodTransform<Uint8Array, string>>]
>;

/** Exact path bytes: a `Uint8Array`, or its JSON form (base64, as written by `socketJsonReplacer`). */
const PathBytesSchema: PathBytesSchemaType = z.union([
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected a Uint8Array' }),
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .transform((s) => base64ToBytes(s)),
]);

/** A row of /proc/net/unix (serialized with `socketJsonReplacer`, or as parsed). */
export const UnixSocketSchema = z.object({
  kind: z.literal('unix'),
  pointer: z.string(),
  refcount: uint,
  protocol: uint,
  flags: uint,
  listening: z.boolean(),
  type: UnixSocketTypeSchema,
  typeCode: uint,
  state: UnixSocketStateSchema,
  stateCode: uint,
  inode: z.string().regex(/^\d+$/),
  path: z.string().nullable(),
  pathBytes: PathBytesSchema.nullable(),
  abstract: z.boolean(),
  suspicious: z.array(UnixSuspicionSchema).readonly(),
  line: uint.min(1),
});

/** Any socket procnet parses. */
export const SocketSchema = z.union([InetSocketSchema, UnixSocketSchema]);

/** A process that holds a socket (`procnet/node`'s `SocketOwner`). */
export const SocketOwnerSchema = z.object({
  pid: uint,
  fd: uint,
  comm: z.string().nullable(),
  cmdline: z.array(z.string()).readonly().nullable(),
  uid: uint.nullable(),
});

/** What `procnet/node` adds to every row: the network namespace's inode (`null` for a dump) and the owners. */
const found = {
  namespace: z.string().regex(/^\d+$/).nullable(),
  owners: z.array(SocketOwnerSchema).readonly().nullable(),
};

/**
 * A row of `readSockets`/`readNamespaces` (`FoundSocket`), as the command's `--json` and `--ndjson` write it: any
 * socket with its `namespace` and `owners`.
 */
export const FoundSocketSchema = z.union([
  TcpSocketSchema.extend(found),
  TcpTimeWaitSocketSchema.extend(found),
  TcpRequestSocketSchema.extend(found),
  UdpSocketSchema.extend(found),
  RawSocketSchema.extend(found),
  IcmpSocketSchema.extend(found),
  UnixSocketSchema.extend(found),
]);
