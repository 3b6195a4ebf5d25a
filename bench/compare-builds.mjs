#!/usr/bin/env node
// Two builds of procnet in one process, called alternately on the same input: "nothing measured today gets slower".
//
//   node bench/compare-builds.mjs --before /path/to/old/dist --after dist --pid PID [--table FILE] [--rounds 7]
//
// PID: a process in the namespace to read (the load generator's, bench/load.mjs); FILE: a saved table for the
// summary (bench/gen-table.mjs). Scenarios: live readSockets({ pid, kinds: ['tcp'] }), the same with
// processes: true (owners), and summarizeTable('tcp', bytes). Each round calls every scenario once per build,
// alternating which build goes first; prints min / median ms per build and the after/before ratio of the medians, as
// Markdown.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: 'dist' },
    pid: { type: 'string' },
    table: { type: 'string' },
    rounds: { type: 'string', default: '7' },
  },
});
if (!values.before || !values.pid) {
  console.error('usage: node bench/compare-builds.mjs --before DIR --after DIR --pid PID [--table FILE] [--rounds N]');
  process.exit(2);
}
const pid = Number(values.pid);
const rounds = Number(values.rounds);

async function load(dir) {
  const at = (f) => pathToFileURL(resolve(dir, f)).href;
  return { core: await import(at('index.js')), node: await import(at('node.js')) };
}
const builds = { before: await load(values.before), after: await load(values.after) };
const table = values.table ? readFileSync(values.table) : null;

const scenarios = {
  'live readSockets tcp': (b) => b.node.readSockets({ pid, kinds: ['tcp'] }).then((r) => r.sockets.length),
  'owners readSockets tcp, processes': (b) =>
    b.node.readSockets({ pid, kinds: ['tcp'], processes: true }).then((r) => r.sockets.length),
  ...(table === null ? {} : { 'summarizeTable tcp (saved)': (b) => b.core.summarizeTable('tcp', table).sockets }),
};

const times = {};
for (const name of Object.keys(scenarios)) times[name] = { before: [], after: [] };
for (const name of Object.keys(scenarios)) {
  // One untimed call each: the JIT and the worker pools.
  for (const which of ['before', 'after']) await scenarios[name](builds[which]);
}
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const [name, run] of Object.entries(scenarios)) {
    for (const which of order) {
      const t = performance.now();
      await run(builds[which]);
      times[name][which].push(performance.now() - t);
    }
  }
}
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
};
const ms = (v) => v.toFixed(0);
console.log(`| scenario | before min / median ms | after min / median ms | after / before (medians) |`);
console.log('|---|---:|---:|---:|');
for (const [name, t] of Object.entries(times)) {
  const b = median(t.before);
  const a = median(t.after);
  console.log(
    `| ${name} | ${ms(Math.min(...t.before))} / ${ms(b)} | ${ms(Math.min(...t.after))} / ${ms(a)} | ${(a / b).toFixed(2)}x |`,
  );
}
