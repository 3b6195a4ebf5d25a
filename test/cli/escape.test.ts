/**
 * The command's own terminal safety: messages keep their line breaks and nothing else a terminal acts on; JSON output
 * escapes what `JSON.stringify` leaves raw and still reads back as the same value.
 */
import { describe, expect, it } from 'vitest';
import { escapeLines, terminalSafeJson } from '../../src/cli/escape.js';

describe('escapeLines', () => {
  it("keeps a message's line breaks and escapes every other control, escape sequence and invisible character", () => {
    const text = 'procnet: bad row\n  at /tmp/x\u001b[2J\r\tname\u202e\u2028end\\';
    const out = escapeLines(text);
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toBe('procnet: bad row\n  at /tmp/x\\x1b[2J\\r\\tname\\u{202e}\\u{2028}end\\\\');
    expect(out).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

describe('terminalSafeJson', () => {
  it('writes what JSON.stringify leaves raw as \\u escapes, and reads back as the same value', () => {
    const value = { path: '@a\u009b[2Jb\u007f\u202e\u2028\u00ad\u{e0041}\u061c\n\u001b', comm: 'ok é😀' };
    const json = terminalSafeJson(JSON.stringify(value));
    expect(json).toMatch(/^[\x20-\x7e\u00a0-\u00ff\u{1f600}]*$/u);
    expect(json).toContain('\\u009b');
    expect(json).toContain('\\udb40\\udc41');
    expect(JSON.parse(json)).toEqual(value);
    expect(terminalSafeJson('{"a":"plain"}')).toBe('{"a":"plain"}');
  });
});
