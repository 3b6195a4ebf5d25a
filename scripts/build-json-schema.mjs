// The JSON Schema files of procnet/schema, for users who validate procnet's JSON without TypeScript or zod: written
// from the zod schemas with zod 4's z.toJSONSchema (draft 2020-12) into dist/json-schema/, which package.json exports
// as procnet/schema/json/*.json. `npm run build` runs this after tsup (it reads dist/schema.js); test/schema.test.ts
// checks the files against what the sources give, and test/cli/json-schema.test.ts validates the command's output.
//
//   node scripts/build-json-schema.mjs            # after tsup; silent unless it fails
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const JSON_SCHEMA_DIR = join(ROOT, 'dist/json-schema');

/** Each file: the schema it is made from, and what it describes. */
const FILES = {
  socket: {
    schema: (s) => s.SocketSchema,
    title: 'procnet socket',
    description:
      "A row of one /proc/net table as procnet's parseTable gives it, serialised with socketJsonReplacer (a unix socket's pathBytes as base64).",
  },
  'found-socket': {
    schema: (s) => s.FoundSocketSchema,
    title: 'procnet found socket',
    description:
      'A row of procnet/node readSockets, with its namespace and owners: one line of `procnet --ndjson`, serialised with socketJsonReplacer.',
  },
  'found-sockets': {
    schema: (s) => s.FoundSocketSchema.array(),
    title: 'procnet --json',
    description: 'The array `procnet --json` writes: every row of readSockets, with its namespace and owners.',
  },
};

/**
 * The JSON Schema of every file, from a procnet/schema module (the built one, or the sources in a test). The JSON form
 * is the input side of each schema: a unix path's bytes are a base64 string there (the `Uint8Array` a parsed row holds
 * cannot occur in JSON, so that branch matches nothing), and fields are not closed (as zod's objects, which drop
 * unknown keys, accept them).
 */
export function jsonSchemas(entry) {
  // The named objects and enums go to `$defs` under the name of their type (the schema's name without `Schema`).
  const names = z.registry();
  for (const [key, value] of Object.entries(entry)) {
    if (['object', 'enum'].includes(value?._zod?.def.type)) names.add(value, { id: key.replace(/Schema$/, '') });
  }
  const out = {};
  for (const [name, file] of Object.entries(FILES)) {
    const schema = z.toJSONSchema(file.schema(entry), {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
      metadata: names,
      override: (ctx) => {
        if (ctx.zodSchema._zod.def.type === 'custom') ctx.jsonSchema.not = {};
      },
    });
    out[name] = { $schema: schema.$schema, title: file.title, description: file.description, ...schema };
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entry = await import(pathToFileURL(join(ROOT, 'dist/schema.js')).href);
  rmSync(JSON_SCHEMA_DIR, { recursive: true, force: true });
  mkdirSync(JSON_SCHEMA_DIR, { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas(entry))) {
    writeFileSync(join(JSON_SCHEMA_DIR, `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
  }
}
