#!/usr/bin/env node
// Prints this machine's TCP and UDP sockets the way `netstat -tuan` does, from the built package.
// (The procnet CLI replaces this; it stays as the smallest example of the library.)
import { readFileSync } from 'node:fs';
import { parseTable, TCP_STATES } from '../dist/index.js';

const kinds = ['tcp', 'tcp6', 'udp', 'udp6'];
const show = (e) => (e.family === 'IPv6' ? `${e.address}:${e.port || '*'}` : `${e.address}:${e.port || '*'}`);
console.log('Proto Recv-Q Send-Q Local Address           Foreign Address         State');
for (const kind of kinds) {
  let text;
  try {
    text = readFileSync(`/proc/net/${kind}`);
  } catch {
    continue; // IPv6 disabled, or not Linux
  }
  for (const s of parseTable(kind, text, { onInvalidRow: 'skip' })) {
    const state = s.protocol === 'tcp' ? TCP_STATES[s.state].netstat : s.state === 'connected' ? 'ESTABLISHED' : '';
    console.log(
      `${kind.padEnd(5)} ${String(s.rxQueue).padStart(6)} ${String(s.txQueue).padStart(6)} ${show(s.local).padEnd(23)} ${show(s.remote).padEnd(23)} ${state}`,
    );
  }
}
