import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { lib } from './support/lib.js';

describe('ProcNetParseError', () => {
  const make = () =>
    new lib.ProcNetParseError({
      code: 'BAD_HEX',
      reason: 'st must be hexadecimal',
      file: '/proc/net/tcp',
      line: 3,
      column: 35,
      offset: 180,
      field: 'st',
      text: '0Z',
    });

  it('carries the code, position, field and text, and a message with all of them', () => {
    const e = make();
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ProcNetParseError');
    expect(e.message).toBe('/proc/net/tcp:3:35 (field st): st must be hexadecimal: "0Z"');
    expect(e).toMatchObject({ code: 'BAD_HEX', line: 3, column: 35, offset: 180, field: 'st', text: '0Z' });
  });

  it('is recognised across realms and bundle copies by its Symbol.for brand', () => {
    const e = make();
    expect(lib.isProcNetParseError(e)).toBe(true);
    const foreign = runInNewContext(
      `const e = new Error('x'); Object.defineProperty(e, Symbol.for('procnet.ProcNetParseError'), { value: true }); e`,
    );
    expect(foreign instanceof Error).toBe(false);
    expect(lib.isProcNetParseError(foreign)).toBe(true);
    for (const v of [new Error('x'), null, undefined, 'ProcNetParseError', { code: 'BAD_HEX' }]) {
      expect(lib.isProcNetParseError(v)).toBe(false);
    }
  });

  it('lists every code once', () => {
    expect(new Set(lib.PROC_NET_ERROR_CODES).size).toBe(lib.PROC_NET_ERROR_CODES.length);
    expect(lib.PROC_NET_ERROR_CODES).toContain('TRUNCATED_ROW');
  });

  it('escapes control bytes in the offending text', () => {
    const errors: string[] = [];
    lib.parseTable('tcp', `${lib.TABLE_HEADERS.tcp}\n   0: \u001b[31m\n`, { onInvalidRow: (e) => errors.push(e.text) });
    expect(errors[0]).toBe('\\x1b[31m');
  });
});
