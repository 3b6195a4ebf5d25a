/**
 * procnet/schema: each zod schema equals its hand-written interface (checked by tsc on this file) and
 * accepts every real row after a JSON round trip, while rejecting damaged ones.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  Endpoint,
  IcmpSocket,
  InetSocket,
  InetTableKind,
  RawSocket,
  SocketTimer,
  TcpRequestSocket,
  TcpSocket,
  TcpTimeWaitSocket,
  UdpSocket,
  UnixSocket,
} from '../src/index.js';
import type * as SchemaEntry from '../src/schema.js';
import { lib } from './support/lib.js';
import { SPEC_CAPTURE } from './support/paths.js';

const s = (await import(
  /* @vite-ignore */ process.env.PROCNET_TEST_DIST === '1' ? '../dist/schema.js' : '../src/schema.js'
)) as typeof SchemaEntry;

describe('procnet/schema', () => {
  it('infers exactly the public interfaces', () => {
    expectTypeOf<z.infer<typeof s.EndpointSchema>>().toEqualTypeOf<Endpoint>();
    expectTypeOf<z.infer<typeof s.SocketTimerSchema>>().toEqualTypeOf<SocketTimer>();
    expectTypeOf<z.infer<typeof s.TcpSocketSchema>>().toEqualTypeOf<TcpSocket>();
    expectTypeOf<z.infer<typeof s.TcpTimeWaitSocketSchema>>().toEqualTypeOf<TcpTimeWaitSocket>();
    expectTypeOf<z.infer<typeof s.TcpRequestSocketSchema>>().toEqualTypeOf<TcpRequestSocket>();
    expectTypeOf<z.infer<typeof s.UdpSocketSchema>>().toEqualTypeOf<UdpSocket>();
    expectTypeOf<z.infer<typeof s.RawSocketSchema>>().toEqualTypeOf<RawSocket>();
    expectTypeOf<z.infer<typeof s.IcmpSocketSchema>>().toEqualTypeOf<IcmpSocket>();
    expectTypeOf<z.infer<typeof s.InetSocketSchema>>().toEqualTypeOf<InetSocket>();
    expectTypeOf<z.infer<typeof s.UnixSocketSchema>>().toEqualTypeOf<UnixSocket>();
  });

  const kinds: InetTableKind[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6'];
  const rows = kinds.flatMap((k) => lib.parseTable(k, readFileSync(`${SPEC_CAPTURE}proc-net-${k}`)) as InetSocket[]);

  it('accepts every row of the reference capture after JSON serialisation', () => {
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      const back = JSON.parse(JSON.stringify(row));
      expect(s.InetSocketSchema.parse(back)).toEqual(row);
    }
  });

  it('rejects damaged rows with the path of the bad field', () => {
    const row = JSON.parse(JSON.stringify(rows[0]));
    row.local.port = 70000;
    const r = s.InetSocketSchema.safeParse(row);
    expect(r.success).toBe(false);
    expect(s.TcpSocketSchema.safeParse(row).error?.issues[0]?.path).toEqual(['local', 'port']);
    expect(s.TcpSocketSchema.safeParse({ ...rows[0], inode: 12 }).success).toBe(false);
    expect(s.TcpSocketSchema.safeParse({ ...rows[0], state: 'OPEN' }).success).toBe(false);
  });

  it('reads unix sockets back from JSON with their exact path bytes', () => {
    const unix = lib.parseTable('unix', readFileSync(`${SPEC_CAPTURE}proc-net-unix`));
    const back = JSON.parse(JSON.stringify(unix, lib.socketJsonReplacer));
    expect(typeof back.find((r: { pathBytes: unknown }) => r.pathBytes !== null).pathBytes).toBe('string');
    const parsed = back.map((r: unknown) => s.UnixSocketSchema.parse(r));
    expect(parsed).toEqual(unix);
    expect(s.SocketSchema.parse(back[0])).toEqual(unix[0]);
    expect(s.UnixSocketSchema.safeParse({ ...back[0], pathBytes: 'not base64!' }).success).toBe(false);
  });
});
