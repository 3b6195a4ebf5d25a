import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseFdLink, parseNamespaceLink } from '../../src/owners/proc-link.js';

describe('parseFdLink', () => {
  it('gives the inode of a socket link, as the tables print it', () => {
    expect(parseFdLink('socket:[12345]')).toBe('12345');
    expect(parseFdLink('socket:[1]')).toBe('1');
    expect(parseFdLink('socket:[18446744073709551615]')).toBe('18446744073709551615');
  });

  it('drops leading zeros (the kernel never prints them; a hand-written listing might)', () => {
    expect(parseFdLink('socket:[007]')).toBe('7');
  });

  it('is null for everything that is not a socket with a non-zero inode', () => {
    for (const link of [
      'pipe:[12345]',
      'anon_inode:[eventpoll]',
      'anon_inode:[timerfd]',
      '/dev/null',
      '/tmp/socket:[1]',
      'socket:[]',
      'socket:[0]',
      'socket:[000]',
      'socket:[12a]',
      'socket:[-1]',
      'socket:[ 1]',
      'socket:[1] ',
      'socket:[1]x',
      'socket:[1',
      'socket:1]',
      'Socket:[1]',
      'socket:[123456789012345678901]',
      '',
      'socket:[',
    ]) {
      expect(parseFdLink(link), link).toBeNull();
    }
  });

  test.prop([fc.bigInt({ min: 1n, max: 2n ** 64n - 1n })])('round-trips every u64 inode', (n) => {
    expect(parseFdLink(`socket:[${n}]`)).toBe(n.toString());
  });

  test.prop([fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[0-9]{0,22}$/))])(
    'accepts exactly socket:[digits] with a non-zero value',
    (s) => {
      const link = `socket:[${s}]`;
      const ok = /^[0-9]{1,20}$/.test(s) && /[1-9]/.test(s);
      expect(parseFdLink(link)).toBe(ok ? BigInt(s).toString() : null);
    },
  );

  test.prop([fc.string({ maxLength: 40 })])('never throws and never accepts text without the exact prefix', (s) => {
    const r = parseFdLink(s);
    if (r !== null) expect(s.startsWith('socket:[') && s.endsWith(']')).toBe(true);
  });
});

describe('parseNamespaceLink', () => {
  it('reads net:[N] and other namespace types on request', () => {
    expect(parseNamespaceLink('net:[4026531840]')).toBe('4026531840');
    expect(parseNamespaceLink('mnt:[4026531841]')).toBeNull();
    expect(parseNamespaceLink('mnt:[4026531841]', 'mnt')).toBe('4026531841');
    expect(parseNamespaceLink('socket:[4026531840]')).toBeNull();
  });
});
