import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { InetSocket, InetTableKind } from '../../src/index.js';
import { INET_KINDS, tableRowsOf } from '../support/arbitraries.js';
import { lib } from '../support/lib.js';

describe('formatTable then parseTable', () => {
  for (const kind of INET_KINDS) {
    test.prop([tableRowsOf(kind, { maxLength: 8 }), fc.constantFrom('little', 'big')], { numRuns: 150 })(
      `gives back arbitrary ${kind} records in either byte order`,
      (rows, byteOrder) => {
        const text = lib.formatTable(kind as InetTableKind, rows as never, {
          byteOrder: byteOrder as 'little' | 'big',
        });
        const parsed = lib.parseTable(kind, text, { byteOrder: byteOrder as 'little' | 'big' });
        expect(parsed).toEqual(rows as InetSocket[]);
      },
    );
  }
});
