#!/usr/bin/env node
// Synthetic /proc/net/tcp and /proc/net/tcp6 tables in the exact kernel format (spec §1-2), for benchmarks.
//
//   node bench/gen-table.mjs --kind tcp --rows 100000 --seed 1 --out bench/.work/tcp-100k
//
// tcp: every line, header included, is padded with spaces to 149 chars and ends in '\n' (150 bytes), as seq_pad()
// does. tcp6: unpadded. Row mix: listeners first (as the kernel walks lhash2 first), then an "established hash"
// that mixes ESTABLISHED (most), TIME_WAIT and orphaned FIN_WAIT2 mini-sockets (12 tokens, tr 03), request sockets
// (SYN_RECV, 12 tokens, tr 01, ref 0, inode 0), CLOSE_WAIT, FIN_WAIT1/2, SYN_SENT, LAST_ACK, CLOSING and un-accepted
// children (inode 0). Addresses are text only: 127.x and private-range-looking strings; nothing here opens a socket.
//
// The output is written in ~1 MiB chunks, so a 1,000,000-row table (150 MB) never sits in memory. The same seed
// always gives the same bytes.

import { closeSync, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
export const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
/** `#define TMPSZ 150` in net/ipv4/tcp_ipv4.c: 149 chars of text and padding, then '\n'. */
export const TCP_LINE_WIDTH = 149;

const CHUNK_BYTES = 1 << 20;

/** mulberry32: a small, fast, deterministic 32-bit PRNG. */
export function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    u32: () => Math.floor(next() * 4294967296),
  };
}

const HEX = '0123456789ABCDEF';
const hexCache2 = Array.from({ length: 256 }, (_, i) => HEX[i >> 4] + HEX[i & 15]);

/** `%08X` of an unsigned 32-bit value. */
function hex8(n) {
  n >>>= 0;
  return hexCache2[n >>> 24] + hexCache2[(n >>> 16) & 255] + hexCache2[(n >>> 8) & 255] + hexCache2[n & 255];
}
/** `%04X` of a port. */
function hex4(n) {
  return hexCache2[(n >>> 8) & 255] + hexCache2[n & 255];
}
/** `%02X`. */
function hex2(n) {
  return hexCache2[n & 255];
}
/** `%Nd`: right-aligned decimal, minimum width N (grows when wider). */
function padNum(n, width) {
  return String(n).padStart(width, ' ');
}

/**
 * An IPv4 address as a little-endian host prints `%08X` of its `__be32`: the four bytes reversed.
 * 127.0.0.1 -> 0100007F.
 */
function v4hex(a, b, c, d) {
  return hexCache2[d] + hexCache2[c] + hexCache2[b] + hexCache2[a];
}

/** Sixteen address bytes as tcp6 prints them on little-endian: four words, bytes reversed inside each word. */
function v6hex(bytes) {
  let s = '';
  for (let w = 0; w < 16; w += 4) {
    s += hexCache2[bytes[w + 3]] + hexCache2[bytes[w + 2]] + hexCache2[bytes[w + 1]] + hexCache2[bytes[w]];
  }
  return s;
}

function createAddressPicker(kind, rnd) {
  // A fixed pool of local addresses (the host's own) and a larger pool of peers; all text.
  const localV4 = [
    [127, 0, 0, 1],
    [10, 0, 2, 15],
    [192, 168, 1, 20],
    [172, 17, 0, 1],
  ];
  const peerV4 = () => {
    const r = rnd.int(100);
    if (r < 35) return [127, 0, rnd.int(4), 1 + rnd.int(254)];
    if (r < 65) return [10, rnd.int(256), rnd.int(256), 1 + rnd.int(254)];
    if (r < 85) return [192, 168, rnd.int(256), 1 + rnd.int(254)];
    return [172, 16 + rnd.int(16), rnd.int(256), 1 + rnd.int(254)];
  };
  if (kind === 'tcp') {
    const locals = localV4.map((q) => v4hex(...q));
    return {
      any: '00000000',
      local: () => locals[rnd.int(100) < 40 ? 0 : rnd.int(locals.length)],
      peer: () => v4hex(...peerV4()),
    };
  }
  const loop6 = new Uint8Array(16);
  loop6[15] = 1;
  const mapped = (q) => {
    const b = new Uint8Array(16);
    b[10] = 0xff;
    b[11] = 0xff;
    b.set(q, 12);
    return b;
  };
  const ula = (seed) => {
    const b = new Uint8Array(16);
    b[0] = 0xfd;
    b[1] = 0x00;
    for (let i = 2; i < 16; i++) b[i] = (seed >>> ((i % 4) * 8)) & 255;
    return b;
  };
  const locals = [v6hex(loop6), v6hex(mapped([127, 0, 0, 1])), v6hex(ula(0x5eed0001)), v6hex(mapped([10, 0, 2, 15]))];
  return {
    any: '00000000000000000000000000000000',
    local: () => locals[rnd.int(100) < 40 ? 0 : rnd.int(locals.length)],
    peer: () => {
      const r = rnd.int(100);
      if (r < 40) return locals[0];
      if (r < 70) return v6hex(mapped(peerV4()));
      return v6hex(ula(rnd.u32()));
    },
  };
}

/** `%pK` with kptr_restrict=0 on ≥4.15: a hashed value, 16 hex digits with the upper 8 zero, lower-case. */
function pointer(rnd) {
  return `00000000${rnd.u32().toString(16).padStart(8, '0')}`;
}

function uid(rnd) {
  const r = rnd.int(100);
  if (r < 55) return 0;
  if (r < 80) return 1000 + rnd.int(3);
  if (r < 90) return 65534;
  if (r < 96) return 33;
  return 100000 + rnd.int(65536); // container uids: wider than %5u
}

function queue(rnd, pctNonZero, max) {
  return rnd.int(100) < pctNonZero ? 1 + rnd.int(max) : 0;
}

/**
 * Builds one row (no padding, no newline) for the kind and state. `sl` is the running row number.
 * Formats follow get_tcp4_sock / get_openreq4 / get_timewait4_sock and their IPv6 twins.
 */
function row(sl, state, ctx) {
  const { rnd, addr } = ctx;
  const head = `${padNum(sl, 4)}: `;
  if (state === 'LISTEN') {
    const local = `${rnd.int(100) < 50 ? addr.any : addr.local()}:${hex4(ctx.listenPorts[rnd.int(ctx.listenPorts.length)])}`;
    const backlog = queue(rnd, 5, 20);
    return `${head}${local} ${addr.any}:0000 0A 00000000:${hex8(backlog)} 00:00000000 00000000 ${padNum(uid(rnd), 5)} ${padNum(0, 8)} ${ctx.nextInode()} ${1 + rnd.int(2)} ${pointer(rnd)} 100 0 0 10 ${rnd.int(100) < 5 ? 5 : 0}`;
  }
  const local = `${addr.local()}:${hex4(rnd.int(100) < 45 ? ctx.listenPorts[rnd.int(ctx.listenPorts.length)] : ctx.ephemeral())}`;
  const remote = `${addr.peer()}:${hex4(rnd.int(100) < 50 ? ctx.ephemeral() : ctx.listenPorts[rnd.int(ctx.listenPorts.length)])}`;
  if (state === 'TIME_WAIT' || state === 'FIN_WAIT2_ORPHAN') {
    // get_timewait4_sock: st = tw_substate (06, or 05 for an orphaned FIN_WAIT2), tr 03, uid/timeout/inode 0.
    const st = state === 'TIME_WAIT' ? '06' : '05';
    return `${head}${local} ${remote} ${st} 00000000:00000000 03:${hex8(rnd.int(6001))} 00000000 ${padNum(0, 5)} ${padNum(0, 8)} 0 3 ${pointer(rnd)}`;
  }
  if (state === 'SYN_RECV') {
    // get_openreq4: st 03, tr 01 (SYN-ACK timer), num_timeout, listener's uid, inode 0, ref 0.
    return `${head}${local} ${remote} 03 00000000:00000000 01:${hex8(rnd.int(300))} ${hex8(rnd.int(100) < 80 ? 0 : 1 + rnd.int(4))} ${padNum(uid(rnd), 5)} ${padNum(0, 8)} 0 0 ${pointer(rnd)}`;
  }
  // Full socket, get_tcp4_sock: 17 tokens.
  let st;
  let tx = 0;
  let rx = 0;
  let tr = 0;
  let when = 0;
  let retr = 0;
  let probes = 0;
  let inode = ctx.nextInode();
  let ssthresh = rnd.int(100) < 60 ? -1 : 7 + rnd.int(500);
  const r = rnd.int(100);
  switch (state) {
    case 'ESTABLISHED':
      st = 0x01;
      tx = queue(rnd, 12, 400000);
      rx = queue(rnd, 10, 120000);
      if (r < 8) {
        tr = 2; // keepalive
        when = rnd.int(720000);
      } else if (tx > 0 && r < 20) {
        tr = 1; // retransmit
        when = rnd.int(120);
        retr = rnd.int(100) < 90 ? 0 : 1 + rnd.int(5);
      } else if (tx > 0 && r < 24) {
        tr = 4; // zero-window probe
        when = rnd.int(12000);
        probes = rnd.int(4);
      }
      if (rnd.int(1000) < 5) inode = 0; // child not yet accept()ed
      break;
    case 'SYN_SENT':
      st = 0x02;
      tx = 1;
      tr = 1;
      when = rnd.int(300);
      retr = rnd.int(3);
      ssthresh = -1;
      break;
    case 'FIN_WAIT1':
      st = 0x04;
      tx = 1 + queue(rnd, 50, 3000000);
      tr = r < 60 ? 4 : 1;
      when = rnd.int(12000);
      break;
    case 'FIN_WAIT2':
      st = 0x05;
      break;
    case 'CLOSE_WAIT':
      st = 0x08;
      rx = 1 + queue(rnd, 20, 60000);
      tx = queue(rnd, 5, 60000);
      break;
    case 'LAST_ACK':
      st = 0x09;
      tx = 1 + queue(rnd, 30, 3000000);
      rx = 1;
      tr = 1;
      when = rnd.int(300);
      break;
    default: // CLOSING
      st = 0x0b;
      tx = 1 + queue(rnd, 30, 3000000);
      rx = 1;
      tr = 4;
      when = rnd.int(300);
      break;
  }
  const rto = rnd.int(100) < 85 ? 20 + rnd.int(5) : 100 + rnd.int(200);
  const ato = rnd.int(100) < 60 ? 4 : rnd.int(40);
  const quick = rnd.int(100) < 30 ? 32 : rnd.int(100) < 20 ? 1 : 0;
  const cwnd = 1 + rnd.int(rnd.int(100) < 80 ? 10 : 500);
  return `${head}${local} ${remote} ${hex2(st)} ${hex8(tx)}:${hex8(rx)} ${hex2(tr)}:${hex8(when)} ${hex8(retr)} ${padNum(uid(rnd), 5)} ${padNum(probes, 8)} ${inode} ${1 + rnd.int(3)} ${pointer(rnd)} ${rto} ${ato} ${quick} ${cwnd} ${ssthresh}`;
}

/** Cumulative percentages for the established-hash part (listeners are placed first, separately). */
const STATE_MIX = [
  ['ESTABLISHED', 72],
  ['TIME_WAIT', 84],
  ['FIN_WAIT2_ORPHAN', 85],
  ['SYN_RECV', 88],
  ['CLOSE_WAIT', 93],
  ['FIN_WAIT1', 95],
  ['FIN_WAIT2', 97],
  ['SYN_SENT', 98],
  ['LAST_ACK', 99],
  ['CLOSING', 100],
];

function pickState(rnd) {
  const r = rnd.int(100);
  for (const [name, upTo] of STATE_MIX) if (r < upTo) return name;
  return 'ESTABLISHED';
}

/**
 * Writes a synthetic table to `out`. Returns `{ rows, bytes, states }` (rows excludes the header).
 * @param {{ kind?: 'tcp' | 'tcp6', rows?: number, seed?: number, out: string, listeners?: number }} options
 */
export function generateTable(options) {
  const kind = options.kind ?? 'tcp';
  if (kind !== 'tcp' && kind !== 'tcp6') throw new Error(`gen-table: kind must be tcp or tcp6, got ${kind}`);
  const rows = options.rows ?? 100_000;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`gen-table: rows must be a non-negative integer`);
  const rnd = createRandom(options.seed ?? 1);
  const padded = kind === 'tcp';
  const listeners = Math.min(rows, options.listeners ?? Math.max(1, Math.round(rows * 0.005)));
  let inode = 100000 + rnd.int(900000);
  const ctx = {
    rnd,
    addr: createAddressPicker(kind, rnd),
    listenPorts: [22, 80, 443, 3306, 5432, 6379, 8080, 9090, 40001, 40002, 11211, 27017],
    ephemeral: () => 32768 + rnd.int(28232),
    nextInode: () => {
      inode += 1 + (rnd.int(10) === 0 ? rnd.int(50) : 0);
      return inode;
    },
  };
  const states = {};
  const fd = openSync(options.out, 'w');
  let bytes = 0;
  let chunk = '';
  const flush = () => {
    if (chunk.length === 0) return;
    bytes += writeSync(fd, chunk);
    chunk = '';
  };
  const emit = (line) => {
    chunk += padded && line.length < TCP_LINE_WIDTH ? `${line.padEnd(TCP_LINE_WIDTH, ' ')}\n` : `${line}\n`;
    if (chunk.length >= CHUNK_BYTES) flush();
  };
  try {
    emit(padded ? TCP_HEADER : TCP6_HEADER);
    for (let sl = 0; sl < rows; sl++) {
      const state = sl < listeners ? 'LISTEN' : pickState(rnd);
      states[state] = (states[state] ?? 0) + 1;
      emit(row(sl, state, ctx));
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { kind, rows, bytes, states };
}

function main() {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'tcp' },
      rows: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.out) {
    process.stderr.write(
      'usage: node bench/gen-table.mjs --out FILE [--kind tcp|tcp6] [--rows 100000] [--seed 1]\n' +
        'Writes a synthetic /proc/net/tcp (padded to 149 chars) or tcp6 (unpadded) table.\n',
    );
    process.exit(values.help ? 0 : 2);
  }
  const started = performance.now();
  const result = generateTable({
    kind: values.kind,
    rows: Number(values.rows.replace(/_/g, '')),
    seed: Number(values.seed),
    out: values.out,
  });
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ out: values.out, ...result, ms: Math.round(ms) })}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
