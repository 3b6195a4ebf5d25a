import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staleReason } from './support/build-dist.js';

describe('the global setup builds dist/ when it is missing or stale', () => {
  const root = mkdtempSync(join(tmpdir(), 'procnet-build-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const at = (file: string, seconds: number): void => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
    utimesSync(join(root, file), seconds, seconds);
  };

  it('says what is missing, what changed, and nothing when dist/ is newer than every input', () => {
    for (const f of ['src/a/b.ts', 'scripts/build-json-schema.mjs', 'tsup.config.ts', 'tsconfig.json', 'package.json'])
      at(f, 1000);
    for (const d of ['src/a', 'src', 'scripts']) utimesSync(join(root, d), 1000, 1000);
    expect(staleReason(root)).toBe(`${join(root, 'dist/cli.js')} is missing`);
    at('dist/cli.js', 2000);
    at('dist/json-schema/found-sockets.json', 2000);
    expect(staleReason(root)).toBeNull();
    at('src/a/b.ts', 3000);
    expect(staleReason(root)).toBe('src changed since the last build');
  });
});
