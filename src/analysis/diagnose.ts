/**
 * Every analysis at once, findings sorted by severity.
 * @module
 */
import { analyzeCounters } from './analyze-counters.js';
import { queueFindings } from './analyze-queues.js';
import { stateFindings } from './analyze-states.js';
import { compareFindings } from './findings.js';
import { type AnalysisOptions, resolveAnalysisOptions } from './options.js';
import { type InetRow, inetRows, processesOf, toFindingSocket } from './socket-ref.js';
import { type SocketTrack, sortSamples, trackSockets } from './track-sockets.js';
import type { Finding, Sample } from './types.js';

/** Most sockets a counter finding names as suspects. */
const MAX_SUSPECTS = 20;

function attach(finding: Finding, rows: InetRow[], key: string): void {
  finding.evidence[key] = rows.length;
  const named = rows.slice(0, MAX_SUSPECTS);
  finding.sockets = named.map((s) => toFindingSocket(s));
  finding.processes = processesOf(named);
}

/** UDP sockets whose `drops` grew over the samples (with one snapshot: that have any), most drops first. */
function droppingSockets(rows: readonly InetRow[], tracks: readonly SocketTrack[] | null): InetRow[] {
  const grew: { socket: InetRow; drops: number }[] = [];
  const consider = (last: InetRow, first: InetRow | undefined) => {
    if (last.protocol !== 'udp' || last.drops === null) return;
    const before = first !== undefined && first.protocol === 'udp' ? (first.drops ?? 0) : 0;
    if (last.drops > before) grew.push({ socket: last, drops: last.drops - before });
  };
  if (tracks === null) {
    for (const s of rows) consider(s, undefined);
  } else {
    for (const t of tracks) {
      if (!t.current) continue;
      const last = (t.points[t.points.length - 1] as { socket: InetRow }).socket;
      consider(last, t.points.length > 1 ? (t.points[0] as { socket: InetRow }).socket : undefined);
    }
  }
  return grew.sort((a, b) => b.drops - a.drops).map((g) => g.socket);
}

/**
 * Runs every analysis on one sample or on samples taken over time (the node layer's sampler gives them), and returns
 * the findings most severe first (then in catalogue order, then largest first):
 * - `analyzeStates` on the samples (the last one is counted);
 * - `analyzeQueues` on the samples (needs two or more);
 * - `analyzeCounters` between the first and the last sample that carry `counters` (or on the last one alone, as
 *   totals since the counters started). Counter findings name the sockets that probably caused them: listeners with
 *   connections waiting (`listen-overflow`), UDP sockets whose `drops` grew (`udp-receive-errors`), the TCP sockets with
 *   the largest queues (`tcp-memory-pressure`); at most 20 each, the full count in `evidence`.
 *
 * A healthy set of sockets gives `[]`.
 *
 * @throws {RangeError} for a bad option, a sample time that is not a finite number, or two counter samples taken at
 * the same time.
 */
export function diagnose(input: Sample | readonly Sample[], options?: AnalysisOptions): Finding[] {
  const o = resolveAnalysisOptions(options);
  const samples = sortSamples(Array.isArray(input) ? (input as readonly Sample[]) : [input as Sample]);
  if (samples.length === 0) return [];
  const tracks = samples.length > 1 ? trackSockets(samples) : null;
  const rows = inetRows((samples[samples.length - 1] as Sample).sockets);
  const findings = [...stateFindings(rows, tracks, o), ...(tracks === null ? [] : queueFindings(tracks, o))];
  const withCounters = samples.filter((s) => s.counters !== undefined);
  const first = withCounters[0];
  const last = withCounters[withCounters.length - 1];
  if (first !== undefined && last !== undefined) {
    const counted =
      first === last
        ? analyzeCounters(null, last.counters!, null, o)
        : analyzeCounters(first.counters, last.counters!, (last.time - first.time) / 1000, o);
    for (const f of counted) {
      if (f.id === 'listen-overflow') {
        attach(
          f,
          rows.filter((s) => s.protocol === 'tcp' && s.record === 'socket' && s.state === 'LISTEN' && s.rxQueue > 0),
          'listenersWithBacklog',
        );
      } else if (f.id === 'udp-receive-errors') {
        attach(f, droppingSockets(rows, tracks), 'socketsWithDrops');
      } else if (f.id === 'tcp-memory-pressure') {
        const queued = rows
          .filter(
            (s) => s.protocol === 'tcp' && s.record === 'socket' && s.state !== 'LISTEN' && s.rxQueue + s.txQueue > 0,
          )
          .sort((a, b) => b.rxQueue + b.txQueue - (a.rxQueue + a.txQueue));
        attach(f, queued, 'socketsWithQueues');
      }
      findings.push(f);
    }
  }
  return findings.sort(compareFindings);
}
