#!/usr/bin/env node
// Writes fixtures/<capture>/golden/<table>.json: the parsed sockets of every table of every capture, from the
// built package. Run after `npm run build` when the parser's output changes on purpose; review the diff.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTable, socketJsonReplacer } from '../dist/index.js';

const KINDS = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6', 'unix'];
const root = new URL('../fixtures/', import.meta.url).pathname;

for (const capture of readdirSync(root)) {
  const net = join(root, capture, 'net');
  if (!existsSync(net)) continue;
  const env = JSON.parse(readFileSync(join(root, capture, 'env.json'), 'utf8'));
  const options = { byteOrder: env.byte_order, userHz: env.user_hz };
  mkdirSync(join(root, capture, 'golden'), { recursive: true });
  for (const kind of KINDS) {
    const file = join(net, kind);
    if (!existsSync(file)) continue;
    let rows;
    try {
      rows = parseTable(kind, readFileSync(file), options);
    } catch (e) {
      if (kind === 'unix' && e instanceof TypeError) continue; // older build without the unix parser
      throw e;
    }
    writeFileSync(join(root, capture, 'golden', `${kind}.json`), `${JSON.stringify(rows, socketJsonReplacer, 1)}\n`);
    console.log(`${capture}/golden/${kind}.json: ${rows.length} rows`);
  }
}
