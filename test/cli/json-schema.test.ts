/**
 * The command's JSON is what procnet/schema says it is: every row of `--json` and every line of `--ndjson`, on the
 * fixture dump (with owners from its fds.json) and live on this machine, passes `FoundSocketSchema` (zod, reading it
 * back to the same JSON: no field the schema does not know) and the JSON Schema files the build writes
 * (procnet/schema/json/*.json), checked with ajv, a maintained JSON Schema validator. Damaged rows fail both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type * as SchemaEntry from '../../src/schema.js';
import { lib } from '../support/lib.js';
import { ROOT } from '../support/paths.js';
import { BUILT, procnet } from './helpers.js';

const schema = (await import(
  /* @vite-ignore */ process.env.PROCNET_TEST_DIST === '1' ? '../../dist/schema.js' : '../../src/schema.js'
)) as typeof SchemaEntry;

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const jsonSchema = (name: string): object =>
  JSON.parse(readFileSync(join(ROOT, 'dist/json-schema', `${name}.json`), 'utf8'));

/** The JSON of a row as the command writes it: what zod reads back, written again. */
const rewritten = (row: unknown): unknown =>
  JSON.parse(JSON.stringify(schema.FoundSocketSchema.parse(row), lib.socketJsonReplacer));

describe.skipIf(!BUILT)('the JSON of the command against procnet/schema and its JSON Schema files', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validateRows = ajv.compile(jsonSchema('found-sockets'));
  const validateRow = ajv.compile(jsonSchema('found-socket'));

  /** Checks a `--json` document and the `--ndjson` lines of the same read. */
  function check(args: readonly string[]): { rows: Array<Record<string, unknown>>; kinds: Set<unknown> } {
    const json = procnet([...args, '--json']);
    expect(json.status, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(validateRows(rows), ajv.errorsText(validateRows.errors)).toBe(true);
    for (const row of rows) expect(rewritten(row)).toEqual(row);
    const nd = procnet([...args, '--ndjson']);
    expect(nd.status, nd.stderr).toBe(0);
    const lines = nd.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const row = JSON.parse(line);
      expect(validateRow(row), `${ajv.errorsText(validateRow.errors)}: ${line}`).toBe(true);
      expect(rewritten(row)).toEqual(row);
    }
    return { rows, kinds: new Set(rows.map((r) => r.kind)) };
  }

  it('on the fixture dump, every table, with owners (--root DIR -tuwxap)', () => {
    const { rows, kinds } = check(['--root', CAPTURE, '-tuwxap']);
    for (const kind of ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'unix']) expect(kinds, kind).toContain(kind);
    expect(rows.some((r) => Array.isArray(r.owners) && r.owners.length > 0)).toBe(true);
    expect(rows.some((r) => r.kind === 'unix' && typeof r.pathBytes === 'string')).toBe(true);
    expect(rows.some((r) => r.record === 'timewait' || r.record === 'request')).toBe(true);
  });

  it('live on this machine (-tuwxa), and with every namespace', () => {
    const live = check(['-tuwxa']);
    expect(live.rows.every((r) => typeof r.namespace === 'string')).toBe(true);
    check(['-tuwxa', '--all-namespaces']);
  });

  it('rejects damaged rows, in zod and in the JSON Schema', () => {
    const [row] = JSON.parse(procnet(['--root', CAPTURE, '-tap', '--json']).stdout) as Array<Record<string, unknown>>;
    expect(validateRow(row)).toBe(true);
    const damaged: Array<Record<string, unknown>> = [
      { ...row, owners: [{ pid: -1, fd: 3, comm: null, cmdline: null, uid: null }] },
      { ...row, owners: 'none' },
      { ...row, namespace: 'net:[4026531840]' },
      { ...row, local: { address: '127.0.0.1', port: 70000, family: 'IPv4' } },
      { ...row, state: 'OPEN' },
      Object.fromEntries(Object.entries(row as object).filter(([k]) => k !== 'owners')),
    ];
    for (const bad of damaged) {
      expect(validateRow(bad), JSON.stringify(bad).slice(0, 200)).toBe(false);
      expect(schema.FoundSocketSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 200)).toBe(false);
    }
    const unix = (
      JSON.parse(procnet(['--root', CAPTURE, '-xa', '--json']).stdout) as Array<Record<string, unknown>>
    )[0];
    for (const pathBytes of ['not base64!', [1, 2, 3]]) {
      expect(validateRow({ ...unix, pathBytes })).toBe(false);
      expect(schema.FoundSocketSchema.safeParse({ ...unix, pathBytes }).success).toBe(false);
    }
  });
});
