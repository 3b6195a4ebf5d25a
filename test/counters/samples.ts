/** Reading the counter samples (fixtures/corpus, the 6.18 capture), and an independent split-based reading of them. */
import { readFileSync } from 'node:fs';

export function readSample(path: string): string {
  return readFileSync(path, 'latin1');
}

export function readSampleBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/**
 * Reads snmp/netstat text with split(), as a cross-check: pairs consecutive lines, zips names with values.
 * Deliberately unlike the parser (regex split, Number-free BigInt of each token).
 */
export function referencePairs(text: string): Map<string, Map<string, bigint>> {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const groups = new Map<string, Map<string, bigint>>();
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]!.trim().split(/\s+/);
    const values = lines[i + 1]!.trim().split(/\s+/);
    const group = names[0]!.slice(0, -1);
    if (values[0] !== names[0] || names.length !== values.length) throw new Error(`reference: bad pair at ${i}`);
    const map = groups.get(group) ?? new Map<string, bigint>();
    for (let j = 1; j < names.length; j++) map.set(names[j]!, BigInt(values[j]!));
    groups.set(group, map);
  }
  return groups;
}

/** Reads snmp6 text with split(), as a cross-check. */
export function referenceLines(text: string): Map<string, bigint> {
  const map = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [name, value] = line.trim().split(/\s+/);
    map.set(name!, BigInt(value!));
  }
  return map;
}

/** A parsed record as a Map of Maps, for comparison with the reference readings. */
export function toMaps(groups: Record<string, Record<string, bigint>>): Map<string, Map<string, bigint>> {
  return new Map(Object.entries(groups).map(([group, counters]) => [group, new Map(Object.entries(counters))]));
}
