import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { canonicalV6, ipv4Text, ipv6Bytes, urlCanonical } from '../support/arbitraries.js';
import { lib } from '../support/lib.js';

const order = fc.constantFrom<'little' | 'big'>('little', 'big');
const port = fc.integer({ min: 0, max: 0xffff });

describe('decodeSocketAddress / encodeSocketAddress', () => {
  test.prop([ipv4Text, port, order])('round-trips any IPv4 endpoint', (address, p, byteOrder) => {
    const hex = lib.encodeSocketAddress({ address, port: p, family: 'IPv4' }, { byteOrder });
    expect(hex).toMatch(/^[0-9A-F]{8}:[0-9A-F]{4}$/);
    expect(lib.decodeSocketAddress(hex, { byteOrder })).toEqual({ address, port: p, family: 'IPv4' });
  });

  test.prop([ipv6Bytes, port, order], { numRuns: 500 })(
    'decodes any IPv6 address to the canonical text of the URL parser (mapped: dotted quad)',
    (bytes, p, byteOrder) => {
      // Build the kernel text independently: each 32-bit word printed as a host-order integer.
      let hex = '';
      for (let i = 0; i < 16; i += 4) {
        const w =
          byteOrder === 'little' ? [bytes[i + 3], bytes[i + 2], bytes[i + 1], bytes[i]] : [...bytes.slice(i, i + 4)];
        hex += w.map((b) => (b as number).toString(16).padStart(2, '0').toUpperCase()).join('');
      }
      const text = `${hex}:${p.toString(16).toUpperCase().padStart(4, '0')}`;
      const decoded = lib.decodeSocketAddress(text, { byteOrder });
      expect(decoded).toEqual({ address: canonicalV6(bytes), port: p, family: 'IPv6' });
      expect(lib.encodeSocketAddress(decoded, { byteOrder })).toBe(text);
    },
  );

  test.prop([ipv6Bytes])('agrees with the URL parser on every non-mapped address', (bytes) => {
    const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    fc.pre(!mapped);
    const hex = lib.encodeSocketAddress({ address: urlCanonical(bytes), port: 0 }, { byteOrder: 'big' });
    expect(lib.decodeSocketAddress(hex, { byteOrder: 'big' }).address).toBe(urlCanonical(bytes));
  });

  it('decodes the spec examples in both byte orders', () => {
    const cases: [string, string, string][] = [
      ['127.0.0.1', '0100007F', '7F000001'],
      ['10.1.2.3', '0302010A', '0A010203'],
      ['192.168.1.20', '1401A8C0', 'C0A80114'],
      ['::1', '00000000000000000000000001000000', '00000000000000000000000000000001'],
      ['::ffff:127.0.0.1', '0000000000000000FFFF00000100007F', '00000000000000000000FFFF7F000001'],
      ['2001:db8::1', 'B80D0120000000000000000001000000', '20010DB8000000000000000000000001'],
      ['fe80::70a6:57ff:fe71:c75d', '000080FE00000000FF57A6705DC771FE', 'FE8000000000000070A657FFFE71C75D'],
    ];
    for (const [address, le, be] of cases) {
      expect(lib.decodeSocketAddress(`${le}:0050`).address).toBe(address);
      expect(lib.decodeSocketAddress(`${be}:0050`, { byteOrder: 'big' }).address).toBe(address);
      expect(lib.encodeSocketAddress({ address, port: 80 })).toBe(`${le}:0050`);
      expect(lib.encodeSocketAddress({ address, port: 80 }, { byteOrder: 'big' })).toBe(`${be}:0050`);
    }
  });

  it('accepts lower-case hex and rejects bad widths and digits with BAD_ADDRESS', () => {
    expect(lib.decodeSocketAddress('0100007f:1f90')).toEqual({ address: '127.0.0.1', port: 8080, family: 'IPv4' });
    for (const bad of ['0100007:0050', '0100007G:0050', '0100007F:12345', '']) {
      expect(() => lib.decodeSocketAddress(bad)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
    }
  });
});
