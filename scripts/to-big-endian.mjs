#!/usr/bin/env node
// Derive a "big-endian host" view of a capture made on a little-endian host.
//
//   node scripts/to-big-endian.mjs IN_DIR OUT_DIR
//
// The kernel prints every 32-bit address word of the inet tables as a host-order integer (spec §1.9, §10), so a
// big-endian host shows 127.0.0.1 as 7F000001 where a little-endian host shows 0100007F. This tool rewrites the
// local and remote address words of every record in IN_DIR/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6,
// icmp,icmp6}: each 8-hex-digit word is byte-reversed (IPv6: the four words each reversed, kept in order).
// Ports and every other byte (header, padding, other columns) stay identical; the lines keep their length.
// All other files are copied byte for byte, except env.json, which gets byte_order "big" and a "derived" note.
// The result is DERIVED, not captured on a real big-endian machine (pointers, sl buckets etc. are the LE host's).

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

const INET_TABLES = new Set(['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6']);

// "   12: " then local "ADDR:PORT", one space, remote "ADDR:PORT", then the rest of the line.
const RECORD =
  /^( *\d+: )([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4}) ([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})( .*)?$/;

function die(msg) {
  process.stderr.write(`to-big-endian: ${msg}\n`);
  process.exit(1);
}

/** Reverse the 4 bytes of each 8-hex-digit word: 0100007F -> 7F000001. */
export function swapWords(hex) {
  let out = '';
  for (let i = 0; i < hex.length; i += 8) {
    const w = hex.slice(i, i + 8);
    out += w.slice(6, 8) + w.slice(4, 6) + w.slice(2, 4) + w.slice(0, 2);
  }
  return out;
}

/** Rewrite one inet table (latin1 text). Throws on a record it does not recognise. */
export function convertTable(text, name) {
  const lines = text.split('\n');
  // lines[0] is the header; a trailing '' after the final '\n' is kept as is.
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const m = RECORD.exec(line);
    if (!m) throw new Error(`${name} line ${i + 1}: not an inet record: ${JSON.stringify(line.slice(0, 80))}`);
    const [, head, laddr, lport, raddr, rport, rest = ''] = m;
    const out = `${head}${swapWords(laddr)}:${lport} ${swapWords(raddr)}:${rport}${rest}`;
    if (out.length !== line.length) throw new Error(`${name} line ${i + 1}: length changed`);
    lines[i] = out;
  }
  return lines.join('\n');
}

function walk(inDir, outDir, rel, stats) {
  const src = path.join(inDir, rel);
  const dst = path.join(outDir, rel);
  if (statSync(src).isDirectory()) {
    mkdirSync(dst, { recursive: true });
    for (const entry of readdirSync(src).sort()) walk(inDir, outDir, path.join(rel, entry), stats);
    return;
  }
  const base = path.basename(rel);
  if (path.basename(path.dirname(rel)) === 'net' && INET_TABLES.has(base)) {
    const text = readFileSync(src).toString('latin1');
    writeFileSync(dst, Buffer.from(convertTable(text, rel), 'latin1'));
    stats.converted.push(rel);
  } else if (rel === 'env.json') {
    const env = JSON.parse(readFileSync(src, 'utf8'));
    if (env.byte_order !== 'little') throw new Error(`env.json byte_order is ${env.byte_order}, expected little`);
    const derived = {
      ...env,
      byte_order: 'big',
      derived: {
        from: path.basename(path.resolve(inDir)),
        tool: 'scripts/to-big-endian.mjs',
        original_byte_order: env.byte_order,
        note:
          'NOT captured on a big-endian host: the address words of the inet tables were byte-reversed from a ' +
          'little-endian capture; everything else is the little-endian host output.',
      },
    };
    writeFileSync(dst, `${JSON.stringify(derived, null, 2)}\n`);
    stats.rewritten.push(rel);
  } else {
    copyFileSync(src, dst);
    stats.copied.push(rel);
  }
}

function main(argv) {
  if (argv.length !== 2) die('usage: node scripts/to-big-endian.mjs IN_DIR OUT_DIR');
  const [inDir, outDir] = argv.map((p) => path.resolve(p));
  if (!existsSync(path.join(inDir, 'net'))) die(`${inDir} has no net/ folder (not a capture dump root)`);
  const outExisted = existsSync(outDir);
  if (outExisted && readdirSync(outDir).length > 0) die(`${outDir} exists and is not empty`);
  const stats = { converted: [], rewritten: [], copied: [] };
  try {
    walk(inDir, outDir, '.', stats);
  } catch (err) {
    // leave nothing half-converted behind
    if (outExisted) for (const f of readdirSync(outDir)) rmSync(path.join(outDir, f), { recursive: true, force: true });
    else rmSync(outDir, { recursive: true, force: true });
    die(err.message);
  }
  process.stderr.write(
    `to-big-endian: ${stats.converted.length} tables converted (${stats.converted.map((p) => path.basename(p)).join(', ')}), ` +
      `${stats.rewritten.length} rewritten, ${stats.copied.length} copied\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2));
}
