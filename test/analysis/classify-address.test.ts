import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type AddressClass, classifyAddress } from '../../src/analysis/index.js';
import { captureSockets, find } from './capture.js';

type Shape = Pick<AddressClass, 'scope' | 'reachableFrom' | 'fromOutside' | 'private' | 'mapped' | 'dualStack'>;
const shape = (c: AddressClass): Shape => ({
  scope: c.scope,
  reachableFrom: c.reachableFrom,
  fromOutside: c.fromOutside,
  private: c.private,
  mapped: c.mapped,
  dualStack: c.dualStack,
});
const S = (scope: Shape['scope'], reachableFrom: Shape['reachableFrom'], extra: Partial<Shape> = {}): Shape => ({
  scope,
  reachableFrom,
  fromOutside: reachableFrom !== 'this-host',
  private: false,
  mapped: false,
  dualStack: null,
  ...extra,
});

describe('classifyAddress on text', () => {
  const cases: [string, Shape][] = [
    ['0.0.0.0', S('wildcard-ipv4', 'anywhere')],
    ['::', S('wildcard-ipv6', 'anywhere', { dualStack: true })],
    ['127.0.0.1', S('loopback', 'this-host')],
    ['127.255.3.9', S('loopback', 'this-host')],
    ['::1', S('loopback', 'this-host')],
    ['::ffff:127.0.0.1', S('loopback', 'this-host', { mapped: true })],
    ['::ffff:0.0.0.0', S('wildcard-ipv4', 'anywhere', { mapped: true })],
    ['::ffff:10.1.2.3', S('specific', 'network', { mapped: true, private: true })],
    ['169.254.10.20', S('link-local', 'link')],
    ['fe80::1', S('link-local', 'link')],
    ['febf::1', S('link-local', 'link')],
    ['224.0.0.251', S('multicast', 'link')],
    ['239.255.255.250', S('multicast', 'network')],
    ['233.252.0.1', S('multicast', 'anywhere')],
    ['ff01::1', S('multicast', 'this-host')],
    ['ff02::fb', S('multicast', 'link')],
    ['ff05::1:3', S('multicast', 'network')],
    ['ff0e::101', S('multicast', 'anywhere')],
    ['255.255.255.255', S('broadcast', 'link')],
    ['10.0.0.5', S('specific', 'network', { private: true })],
    ['172.16.0.1', S('specific', 'network', { private: true })],
    ['172.31.255.255', S('specific', 'network', { private: true })],
    ['172.32.0.1', S('specific', 'anywhere')],
    ['192.168.1.10', S('specific', 'network', { private: true })],
    ['100.64.0.1', S('specific', 'network', { private: true })],
    ['100.128.0.1', S('specific', 'anywhere')],
    ['203.0.113.7', S('specific', 'anywhere')],
    ['fd12:3456::1', S('specific', 'network', { private: true })],
    ['fec0::1', S('specific', 'network', { private: true })],
    ['2001:db8::80', S('specific', 'anywhere')],
    ['::2', S('specific', 'anywhere')],
  ];
  for (const [address, want] of cases) {
    it(`${address} is ${want.scope}, reachable from ${want.reachableFrom}`, () => {
      const c = classifyAddress(address);
      expect(shape(c)).toEqual(want);
      expect(c.address).toBe(address);
      expect(c.note.length).toBeGreaterThan(20);
    });
  }

  it('says what /proc cannot show about a :: socket, and follows bindv6only', () => {
    const dual = classifyAddress('::');
    expect(dual.dualStack).toBe(true);
    expect(dual.note).toContain('IPV6_V6ONLY');
    expect(dual.note).toContain('bindv6only = 0');
    const v6only = classifyAddress('::', { bindv6only: true });
    expect(v6only.dualStack).toBe(false);
    expect(v6only.scope).toBe('wildcard-ipv6');
    expect(v6only.note).toContain('bindv6only = 1');
  });

  it('notes that a private address is still one specific address', () => {
    expect(classifyAddress('10.0.0.5').note).toContain('private');
    expect(classifyAddress('::ffff:127.0.0.1').note).toContain('IPv4-mapped');
  });

  it('accepts brackets, a zone and non-canonical IPv6 text', () => {
    expect(classifyAddress('[::1]')).toMatchObject({ address: '::1', scope: 'loopback' });
    expect(classifyAddress('fe80::1%eth0')).toMatchObject({ address: 'fe80::1', scope: 'link-local' });
    expect(classifyAddress('0:0:0:0:0:0:0:1').scope).toBe('loopback');
    expect(classifyAddress('0:0:0:0:0:FFFF:7F00:1')).toMatchObject({ scope: 'loopback', mapped: true });
  });

  it('throws a TypeError for anything that is not an address', () => {
    for (const bad of ['', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.-4', ':::', '::g', '1::2::3']) {
      expect(() => classifyAddress(bad), bad).toThrow(TypeError);
    }
    expect(() => classifyAddress({ address: '::1', port: 80, family: 'IPv4' })).toThrow(TypeError);
    expect(() => classifyAddress({ address: '127.0.0.1', port: 80, family: 'IPv6' })).toThrow(TypeError);
  });
});

describe('classifyAddress on parsed endpoints of the 6.18 capture', () => {
  const sockets = captureSockets();

  it('classifies the listeners on 127.0.0.1, ::1, :: and 0.0.0.0', () => {
    expect(classifyAddress(find(sockets, 'tcp', 40001).local).scope).toBe('loopback');
    expect(classifyAddress(find(sockets, 'tcp6', 40003).local).scope).toBe('loopback');
    expect(classifyAddress(find(sockets, 'tcp6', 40004, 0).local)).toMatchObject({
      address: '::',
      family: 'IPv6',
      scope: 'wildcard-ipv6',
      dualStack: true,
      fromOutside: true,
    });
    expect(classifyAddress(find(sockets, 'udp', 40107).local)).toMatchObject({
      address: '0.0.0.0',
      family: 'IPv4',
      scope: 'wildcard-ipv4',
      reachableFrom: 'anywhere',
    });
  });

  it('classifies the v4-mapped child of the dual-stack listener as loopback', () => {
    const child = find(sockets, 'tcp6', 40004, 40022);
    expect(child.local.address).toBe('::ffff:127.0.0.1');
    expect(classifyAddress(child.local)).toMatchObject({ scope: 'loopback', mapped: true, family: 'IPv6' });
  });

  it('finds only loopback and wildcards among every local address of the capture', () => {
    const scopes = new Set(sockets.map((s) => classifyAddress(s.local).scope));
    expect([...scopes].sort()).toEqual(['loopback', 'wildcard-ipv4', 'wildcard-ipv6']);
  });
});

describe('classifyAddress properties', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const v4 = fc.tuple(octet, octet, octet, octet).map((b) => b.join('.'));

  test.prop([v4])('an IPv4-mapped address classifies as its IPv4 address', (a) => {
    const plain = classifyAddress(a);
    const mapped = classifyAddress(`::ffff:${a}`);
    expect({ ...shape(mapped), mapped: false }).toEqual(shape(plain));
    expect(mapped.family).toBe('IPv6');
  });

  test.prop([octet, octet, octet])('127.0.0.0/8 is always loopback and never reachable from outside', (b, c, d) => {
    expect(classifyAddress(`127.${b}.${c}.${d}`)).toMatchObject({ scope: 'loopback', fromOutside: false });
  });

  test.prop([v4])('only loopback is local', (a) => {
    const c = classifyAddress(a);
    expect(c.fromOutside).toBe(c.scope !== 'loopback');
  });
});
