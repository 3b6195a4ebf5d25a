/**
 * The seam to the unix parser: `parseTable('unix', …)` from the core, used through a loose signature so this
 * entry builds and works (without unix rows) before that parser is part of the build.
 * @module
 */

import type { ParseOptions } from '../tables/options.js';
import { parseTable } from '../tables/parse-table.js';
import type { TableKind, UnixSocket } from '../types.js';

type LooseParse = (kind: TableKind, input: Uint8Array, options?: ParseOptions) => unknown[];

/** The unix rows of a table, or `null` when this build has no unix parser. */
export function parseUnixTable(input: Uint8Array, options: ParseOptions): UnixSocket[] | null {
  try {
    return (parseTable as unknown as LooseParse)('unix', input, options) as UnixSocket[];
  } catch (e) {
    if (e instanceof TypeError && e.message.includes('unknown table kind')) return null;
    throw e;
  }
}
