/**
 * What of a socket filter the table parser can apply itself (`ParseOptions.filter`), so rows it would reject are
 * never built.
 * @module
 */
import type { TcpState } from '../decode/tcp-state.js';
import type { RowFilter } from '../tables/filter.js';
import type { DatagramState, InetTableKind } from '../types.js';
import type { SocketFilter, SocketFilterExpression } from './types.js';

/** Port sets every matching row must meet (RowFilter's meaning); an absent set constrains nothing. */
interface PortSets {
  local?: Set<number> | undefined;
  remote?: Set<number> | undefined;
  either?: Set<number> | undefined;
}

const intersect = (a: Set<number> | undefined, b: Set<number> | undefined): Set<number> | undefined =>
  a === undefined ? b : b === undefined ? a : new Set([...a].filter((x) => b.has(x)));

const smaller = (a: Set<number> | undefined, b: Set<number> | undefined): Set<number> | undefined =>
  a === undefined ? b : b === undefined || a.size <= b.size ? a : b;

const unite = (a: Set<number> | undefined, b: Set<number> | undefined): Set<number> | undefined =>
  a === undefined || b === undefined ? undefined : new Set([...a, ...b]);

/** One set a row must have a local or remote port in, implied by these sets (the smallest), or `undefined`. */
function eitherOf(sets: PortSets): Set<number> | undefined {
  let best: Set<number> | undefined;
  for (const s of [sets.either, sets.local, sets.remote])
    if (s !== undefined && (best === undefined || s.size < best.size)) best = s;
  return best;
}

/** Port sets implied by a node: for every row the node matches, the row meets all of them. */
function portSets(node: SocketFilterExpression): PortSets {
  switch (node.type) {
    case 'port':
      if (node.operator !== '=' || node.port === null) return {};
      return node.side === 'local' ? { local: new Set([node.port]) } : { remote: new Set([node.port]) };
    case 'host':
      if (node.host.kind !== 'inet' || node.host.port === null) return {};
      return node.side === 'local' ? { local: new Set([node.host.port]) } : { remote: new Set([node.host.port]) };
    case 'and':
    case 'or': {
      const operands: SocketFilterExpression[] = [];
      let current: SocketFilterExpression = node;
      while (current.type === node.type) {
        operands.push(current.right);
        current = current.left;
      }
      operands.push(current);
      const sets = operands.reverse().map(portSets);
      if (node.type === 'and') {
        // Both local sets hold, so the local port is in their intersection; of two "either" sets, one is kept.
        return sets.reduce((acc, s) => ({
          local: intersect(acc.local, s.local),
          remote: intersect(acc.remote, s.remote),
          either: smaller(acc.either, s.either),
        }));
      }
      return sets.reduce((acc, s) => ({
        local: unite(acc.local, s.local),
        remote: unite(acc.remote, s.remote),
        either: unite(eitherOf(acc), eitherOf(s)),
      }));
    }
    default:
      // `not` and `autobound` imply no port set.
      return {};
  }
}

const TCP_KINDS = /* @__PURE__ */ new Set<InetTableKind>(['tcp', 'tcp6']);
const IPV4_KINDS = /* @__PURE__ */ new Set<InetTableKind>(['tcp', 'udp', 'udplite', 'raw', 'icmp']);

/**
 * The filter's states for one table kind as RowFilter state names. Datagram tables: RowFilter names code 1
 * (`connected`) and 7 (`unconnected`), and every other code as `unknown`, so a filter state other than those two
 * brings in `unknown` (more rows than the filter keeps, never fewer).
 */
function rowStates(states: readonly TcpState[], kind: InetTableKind): (TcpState | DatagramState)[] {
  if (TCP_KINDS.has(kind)) return [...states];
  const out: DatagramState[] = [];
  if (states.includes('ESTABLISHED')) out.push('connected');
  if (states.includes('CLOSE')) out.push('unconnected');
  if (states.some((s) => s !== 'ESTABLISHED' && s !== 'CLOSE')) out.push('unknown');
  return out;
}

/**
 * The part of a socket filter that the table parser can apply for one inet table (`ParseOptions.filter`): its states,
 * and the ports every matching row must have (`sport = :22`, `( dport = :80 or dport = :443 )`). It never drops a
 * row the filter keeps, so `parseTable(kind, text, { filter: deriveRowFilter(f, kind) })` followed by `f.matches` on
 * each row gives what `f.matches` alone gives, with fewer rows built. Returns `undefined` when nothing can be pushed
 * down, and `{ states: [] }` (no row) when the filter keeps no row of this kind (its family or states exclude it).
 */
export function deriveRowFilter(filter: SocketFilter, kind: InetTableKind): RowFilter | undefined {
  const family = IPV4_KINDS.has(kind) ? 'IPv4' : 'IPv6';
  if (filter.family !== null && filter.family !== family) return { states: [] };
  const out: RowFilter = {};
  if (filter.states !== null) out.states = rowStates(filter.states, kind);
  if (filter.expression !== null) {
    const sets = portSets(filter.expression);
    const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
    if (sets.local !== undefined) out.localPorts = sorted(sets.local);
    if (sets.remote !== undefined) out.remotePorts = sorted(sets.remote);
    const either = sets.either;
    if (either !== undefined && sets.local === undefined && sets.remote === undefined) out.ports = sorted(either);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
