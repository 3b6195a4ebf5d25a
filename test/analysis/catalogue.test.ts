/** The catalogue, the docs and the code say the same thing; the layer stays pure. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AnalysisSocket,
  DEFAULT_ANALYSIS_OPTIONS,
  diagnose,
  FINDINGS,
  type FindingId,
  type Sample,
} from '../../src/analysis/index.js';
import type { InetSocket, UnixSocket } from '../../src/index.js';
import { ROOT } from '../support/paths.js';
import { captureCounters, captureSockets, find, own, owner, samplesOf } from './capture.js';

const IDS = Object.keys(FINDINGS) as FindingId[];
const page = (id: FindingId) => readFileSync(`${ROOT}${FINDINGS[id].doc}`, 'utf8');

describe('FINDINGS and docs/findings', () => {
  it('has a page per finding that quotes its catalogue entry word for word', () => {
    for (const id of IDS) {
      const info = FINDINGS[id];
      expect(info.doc).toBe(`docs/findings/${id}.md`);
      const text = page(id);
      expect(text.startsWith(`# ${info.title}\n`), id).toBe(true);
      expect(text, id).toContain(`\`${id}\` · `);
      expect(text, id).toContain(`> ${info.explanation}\n`);
      expect(text, id).toContain(`> ${info.nextStep}\n`);
      expect(text, id).toContain(`**${info.severity}**`);
      for (const heading of [
        '## What you see',
        '## What it means',
        '## What to check next',
        '## When procnet reports it',
      ]) {
        expect(text, `${id}: ${heading}`).toContain(heading);
      }
    }
  });

  it('has no page without a catalogue entry, and an index that links every page', () => {
    const pages = readdirSync(`${ROOT}docs/findings`).filter((f) => f !== 'README.md');
    expect(pages.sort()).toEqual(IDS.map((id) => `${id}.md`).sort());
    const index = readFileSync(`${ROOT}docs/findings/README.md`, 'utf8');
    for (const id of IDS) expect(index).toContain(`| [\`${id}\`](${id}.md) | ${FINDINGS[id].title} |`);
  });

  it('documents every option with its default', () => {
    const index = readFileSync(`${ROOT}docs/findings/README.md`, 'utf8');
    for (const [key, value] of Object.entries(DEFAULT_ANALYSIS_OPTIONS)) {
      const shown = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
      expect(index, key).toContain(`| \`${key}\` | \`${shown}\` |`);
    }
  });

  it('documents every evidence key the analyses produce on the finding page', () => {
    const samples: Sample[] = samplesOf([0, 20_000, 40_000], (sockets, i) => {
      find(sockets, 'tcp', 40001, 40011).rxQueue = 1000 * (i + 1);
      own(find(sockets, 'tcp', 40001, 0), owner(1, 'app'));
    }).map((s, i) => {
      const counters = captureCounters();
      const bump = (g: Record<string, bigint> | undefined, name: string, by: bigint) => {
        if (g !== undefined) g[name] = (g[name] ?? 0n) + by * BigInt(i);
      };
      bump(counters.netstat.TcpExt, 'ListenOverflows', 5n);
      bump(counters.netstat.TcpExt, 'TCPMemoryPressures', 1n);
      bump(counters.snmp.Tcp, 'OutSegs', 10_000n);
      bump(counters.snmp.Tcp, 'RetransSegs', 500n);
      bump(counters.snmp.Udp, 'RcvbufErrors', 5n);
      return { ...s, counters };
    });
    const options = { closeWaitWarning: 1, synRecvWarning: 1, orphanFinWait2Warning: 1, tcpMem: [1, 2, 3] } as const;
    const findings = [
      ...diagnose(samples, options),
      ...diagnose(samples, { ...options, localPortRange: [40015, 40016], timeWaitWarningRatio: 0.5 }),
    ];
    const reset = diagnose([
      { time: 0, sockets: [], counters: samples[2]?.counters },
      { time: 1000, sockets: [], counters: captureCounters() },
    ]);
    const seen = new Set([...findings, ...reset].map((f) => f.id));
    expect([...seen].sort()).toEqual([...IDS].sort());
    for (const f of [...findings, ...reset]) {
      const text = page(f.id);
      for (const key of Object.keys(f.evidence)) expect(text, `${f.id}: ${key}`).toContain(`\`${key}\``);
    }
  });

  it('says what every finding means in one sentence and what to check next', () => {
    for (const id of IDS) {
      const { explanation, nextStep } = FINDINGS[id];
      expect(explanation.endsWith('.'), id).toBe(true);
      expect(explanation.replace(/\b(e\.g|i\.e)\./g, '').match(/\. [A-Z]/), id).toBeNull();
      expect(nextStep.endsWith('.'), id).toBe(true);
    }
  });
});

describe('the analysis layer is pure', () => {
  it('imports no node: module and no zod', () => {
    const dir = `${ROOT}src/analysis/`;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(dir + file, 'utf8');
      expect(text, file).not.toMatch(/from '(node:|zod)/);
      for (const m of text.matchAll(/from '(\.\.?\/[^']+)'/g)) {
        const target = new URL(m[1] as string, `file://${dir}${file}`).pathname.replace(/\.js$/, '.ts');
        expect(existsSync(target), `${file} -> ${m[1]}`).toBe(true);
        expect(target.includes('/src/node/') || target.includes('/src/cli/'), `${file} -> ${m[1]}`).toBe(false);
      }
    }
  });
});

describe('types', () => {
  it('accepts the rows procnet/node returns (owners and namespace attached) and bare parsed rows', () => {
    type NodeOwner = {
      pid: number;
      fd: number;
      comm: string | null;
      cmdline: readonly string[] | null;
      uid: number | null;
    };
    type FoundSocket = (InetSocket | UnixSocket) & { namespace: string | null; owners: readonly NodeOwner[] | null };
    expectTypeOf<FoundSocket>().toExtend<AnalysisSocket>();
    expectTypeOf<InetSocket>().toExtend<AnalysisSocket>();
    expectTypeOf<UnixSocket>().toExtend<AnalysisSocket>();
    expectTypeOf<FindingId>().toEqualTypeOf<keyof typeof FINDINGS>();
    expect(captureSockets().length).toBeGreaterThan(0);
  });
});
