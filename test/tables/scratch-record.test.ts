/**
 * The inet parser's scratch record (`InetLineDecoder` and its decoded row, in `src/tables/inet-decode.ts`) is filled
 * and read by src/tables only: every other layer gets values as rows, columns or summaries. No module outside
 * src/tables imports the decoder or the hooks that hand it out (`decodedSink`, `decoderOf`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

/** What reaches into the scratch record: its module, its types and the hooks that hand it out. */
const SCRATCH = /from '[./]*(?:tables\/)?inet-decode\.js'|\b(?:InetLineDecoder|DecodedRow|decodedSink|decoderOf)\b/;

/** Code lines (comments and TSDoc dropped: they may name the record to say why it is not used). */
function codeLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t }))
    .filter(({ text: t }) => !/^\s*(\/\/|\/\*\*|\*)/.test(t));
}

describe("the parser's scratch record", () => {
  it('recognises a use of it', () => {
    for (const bad of [
      "import type { InetLineDecoder } from '../tables/inet-decode.js';",
      "import { decodedSink } from '../tables/inet.js';",
      'const d = decoderOf(line);',
    ]) {
      expect(SCRATCH.test(bad), bad).toBe(true);
    }
    expect(SCRATCH.test("import { parseColumns } from '../index.js';")).toBe(false);
  });

  it('is used by src/tables only', () => {
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('tables/'),
    );
    expect(files.length).toBeGreaterThan(50);
    const uses: string[] = [];
    for (const f of files) {
      for (const { line, text } of codeLines(readFileSync(join(ROOT, 'src', f), 'utf8'))) {
        if (SCRATCH.test(text)) uses.push(`src/${f}:${line}: ${text.trim()}`);
      }
    }
    expect(uses).toEqual([]);
  });
});
