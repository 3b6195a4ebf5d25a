import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lib } from '../support/lib.js';
import { SPEC_CAPTURE } from '../support/paths.js';

const tcp = readFileSync(`${SPEC_CAPTURE}proc-net-tcp`);
const tcp6 = readFileSync(`${SPEC_CAPTURE}proc-net-tcp6`);

describe('guessByteOrder', () => {
  it('finds little-endian in the 6.18 capture and big-endian in the same sockets printed big-endian', () => {
    const little = lib.guessByteOrder([
      { kind: 'tcp', input: tcp },
      { kind: 'tcp6', input: tcp6 },
    ]);
    expect(little.byteOrder).toBe('little');
    expect(little.big).toBe(0);
    const rows = lib.parseTable('tcp', tcp);
    const rows6 = lib.parseTable('tcp6', tcp6);
    const big = lib.guessByteOrder([
      { kind: 'tcp', input: lib.formatTable('tcp', rows, { byteOrder: 'big' }) },
      { kind: 'tcp6', input: lib.formatTable('tcp6', rows6, { byteOrder: 'big' }) },
    ]);
    expect(big).toEqual({ byteOrder: 'big', little: 0, big: little.little });
  });

  it('says nothing without evidence (only wildcard addresses) or with a wrong header', () => {
    const header = readFileSync(`${SPEC_CAPTURE}proc-net-udp`, 'latin1').split('\n')[0];
    const wildcard = `${header}\n  1: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 0\n`;
    expect(lib.guessByteOrder([{ kind: 'udp', input: wildcard }]).byteOrder).toBeNull();
    expect(lib.guessByteOrder([{ kind: 'udp6', input: wildcard }]).byteOrder).toBeNull();
    expect(lib.guessByteOrder([]).byteOrder).toBeNull();
  });

  it('reads the v6 hints: ::1, IPv4-mapped and fe80:: words', () => {
    const header = readFileSync(`${SPEC_CAPTURE}proc-net-tcp6`, 'latin1').split('\n')[0];
    const row = (addr: string) =>
      `   0: ${addr}:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0\n`;
    for (const [addr, order] of [
      ['00000000000000000000000001000000', 'little'],
      ['00000000000000000000000000000001', 'big'],
      ['0000000000000000FFFF00000100007F', 'little'],
      ['00000000000000000000FFFF7F000001', 'big'],
      ['000080FE00000000FF57A6705DC771FE', 'little'],
      ['FE8000000000000070A657FFFE71C75D', 'big'],
    ] as const) {
      expect(lib.guessByteOrder([{ kind: 'tcp6', input: `${header}\n${row(addr)}` }]).byteOrder, addr).toBe(order);
    }
  });
});
