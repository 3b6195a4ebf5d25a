/** The kernel's printing of the counter files, for round-trip tests (`net/ipv4/proc.c`, `net/ipv6/proc.c`). */

/** `icmpmsg_put()` prints at most 16 names per IcmpMsg line pair (`#define PERLINE 16`). */
const ICMPMSG_PER_LINE = 16;

/** snmp/netstat: for each group a header line and a value line, `Name:` then ` value` per counter. */
export function formatCounterPairs(groups: Record<string, Record<string, bigint>>): string {
  let out = '';
  for (const [group, counters] of Object.entries(groups)) {
    const entries = Object.entries(counters);
    const per = group === 'IcmpMsg' ? ICMPMSG_PER_LINE : Math.max(entries.length, 1);
    for (let i = 0; i === 0 || i < entries.length; i += per) {
      const chunk = entries.slice(i, i + per);
      out += `${group}:${chunk.map(([name]) => ` ${name}`).join('')}\n`;
      out += `${group}:${chunk.map(([, value]) => ` ${value}`).join('')}\n`;
    }
  }
  return out;
}

/** snmp6: `seq_printf(seq, "%-32s\t%lu\n", name, value)`. */
export function formatSnmp6(counters: Record<string, bigint>): string {
  return Object.entries(counters)
    .map(([name, value]) => `${name.padEnd(32)}\t${value}\n`)
    .join('');
}

/** sockstat: `PROTO: key value key value\n`. */
export function formatSockstat(protos: Record<string, Record<string, bigint>>): string {
  return Object.entries(protos)
    .map(
      ([proto, keys]) =>
        `${proto}:${Object.entries(keys)
          .map(([key, value]) => ` ${key} ${value}`)
          .join('')}\n`,
    )
    .join('');
}
