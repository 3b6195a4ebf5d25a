/**
 * procnet/schema: each zod schema equals its hand-written interface (checked by tsc on this file) and
 * accepts every real row after a JSON round trip, while rejecting damaged ones; the JSON Schema files of the package
 * are what the zod schemas give (the command's output against both: test/cli/json-schema.test.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
// @ts-expect-error: a build script in JavaScript, without declarations.
import { jsonSchemas } from '../scripts/build-json-schema.mjs';
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
import type { FoundSocket, SocketOwner } from '../src/node/index.js';
import type * as SchemaEntry from '../src/schema.js';
import { lib } from './support/lib.js';
import { nodeLib } from './support/node-lib.js';
import { ROOT, SPEC_CAPTURE } from './support/paths.js';

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
    expectTypeOf<z.infer<typeof s.SocketOwnerSchema>>().toEqualTypeOf<SocketOwner>();
    // FoundSocket is a union of intersections (each row type & { namespace, owners }): compared member by member, flat.
    type Flat<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;
    expectTypeOf<Flat<z.infer<typeof s.FoundSocketSchema>>>().toEqualTypeOf<Flat<FoundSocket>>();
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

  it('reads the rows of readSockets back from JSON, namespace and owners included', async () => {
    const dump = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
    const { sockets } = await nodeLib.readSockets({ root: dump, processes: true });
    expect(sockets.some((r) => (r.owners?.length ?? 0) > 0)).toBe(true);
    const back = JSON.parse(JSON.stringify(sockets, lib.socketJsonReplacer)) as unknown[];
    expect(back.map((r) => s.FoundSocketSchema.parse(r))).toEqual(sockets);
    const [first] = back as Array<Record<string, unknown>>;
    expect(s.FoundSocketSchema.safeParse({ ...first, owners: [{ pid: 1, fd: 'x' }] }).success).toBe(false);
    expect(s.FoundSocketSchema.safeParse({ ...first, namespace: 42 }).success).toBe(false);
    expect(s.SocketSchema.parse(first)).not.toHaveProperty('owners');
  });
});

describe('procnet/schema as JSON Schema', () => {
  const generated = jsonSchemas(s) as Record<string, object>;
  const ajv = new Ajv2020({ allErrors: true, strict: true });

  it('is valid JSON Schema (draft 2020-12) for the parsed rows and the rows of procnet/node', () => {
    expect(Object.keys(generated).sort()).toEqual(['found-socket', 'found-sockets', 'socket']);
    const validate = ajv.compile(generated.socket as object);
    const kinds: InetTableKind[] = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6', 'icmp', 'icmp6'];
    const rows = kinds.flatMap((k) => lib.parseTable(k, readFileSync(`${SPEC_CAPTURE}proc-net-${k}`)) as InetSocket[]);
    const unix = lib.parseTable('unix', readFileSync(`${SPEC_CAPTURE}proc-net-unix`));
    expect(rows.length).toBeGreaterThan(50);
    for (const row of [...rows, ...unix]) {
      const json = JSON.parse(JSON.stringify(row, lib.socketJsonReplacer));
      expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
    }
    expect(validate({ ...JSON.parse(JSON.stringify(rows[0])), inode: 12 })).toBe(false);
  });

  it.skipIf(process.env.PROCNET_TEST_DIST !== '1')(
    'ships as dist/json-schema/*.json (procnet/schema/json/*.json), as the sources give it',
    () => {
      const dir = join(ROOT, 'dist/json-schema');
      expect(existsSync(dir)).toBe(true);
      const files = readdirSync(dir).sort();
      expect(files).toEqual(
        Object.keys(generated)
          .map((n) => `${n}.json`)
          .sort(),
      );
      for (const f of files) {
        expect(JSON.parse(readFileSync(join(dir, f), 'utf8')), f).toEqual(generated[f.replace(/\.json$/, '')]);
      }
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
      expect(pkg.exports['./schema/json/*.json']).toBe('./dist/json-schema/*.json');
    },
  );
});
