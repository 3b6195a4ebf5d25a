/**
 * Follows each socket across samples: by inode, or by address tuple where the inode is 0.
 * @module
 */
import { type InetRow, inetRows, nsKey } from './socket-ref.js';
import type { Sample } from './types.js';

/** One sighting of a socket. */
export interface TrackPoint {
  time: number;
  socket: InetRow;
}

/** One socket seen in consecutive samples. */
export interface SocketTrack {
  /** Sightings in consecutive samples, oldest first. */
  points: TrackPoint[];
  /** Whether the last sighting is in the last sample (the socket still exists). */
  current: boolean;
}

/** The samples sorted by time (a copy), after checking that every time is a finite number. */
export function sortSamples(samples: readonly Sample[]): Sample[] {
  for (const s of samples) {
    if (typeof s.time !== 'number' || !Number.isFinite(s.time)) {
      throw new RangeError(`procnet: sample time must be a finite number (ms since the epoch), got ${String(s.time)}`);
    }
  }
  return [...samples].sort((a, b) => a.time - b.time);
}

function inodeKey(s: InetRow): string {
  return `${nsKey(s)}\n${s.kind}\n${s.inode}`;
}

function tupleKey(s: InetRow): string {
  return `${nsKey(s)}\n${s.kind}\n${s.local.address}\n${s.local.port}\n${s.remote.address}\n${s.remote.port}`;
}

/**
 * Matches the sockets of consecutive samples. A socket with a non-zero inode continues the track with the same inode
 * (and table and namespace). Otherwise it continues the only track with the same table, local and remote endpoint,
 * provided that at most one of the two has an inode: so a child not yet accepted (inode 0) continues once accepted, and
 * a connection continues after its descriptor is closed. A socket missing from a sample ends its track.
 */
export function trackSockets(samples: readonly Sample[]): SocketTrack[] {
  const sorted = sortSamples(samples);
  const all: SocketTrack[] = [];
  let byInode = new Map<string, SocketTrack>();
  let byTuple = new Map<string, SocketTrack[]>();
  for (let i = 0; i < sorted.length; i++) {
    const sample = sorted[i] as Sample;
    const nextInode = new Map<string, SocketTrack>();
    const nextTuple = new Map<string, SocketTrack[]>();
    const claimed = new Set<SocketTrack>();
    const rows = inetRows(sample.sockets);
    const tuples = rows.map(tupleKey);
    const tupleCount = new Map<string, number>();
    for (const k of tuples) tupleCount.set(k, (tupleCount.get(k) ?? 0) + 1);
    for (let r = 0; r < rows.length; r++) {
      const s = rows[r] as InetRow;
      const tuple = tuples[r] as string;
      const inode = s.inode === '0' ? undefined : inodeKey(s);
      let track: SocketTrack | undefined;
      if (inode !== undefined) {
        const t = byInode.get(inode);
        if (t !== undefined && !claimed.has(t)) track = t;
      }
      if (track === undefined && tupleCount.get(tuple) === 1) {
        const candidates = byTuple.get(tuple);
        if (candidates !== undefined && candidates.length === 1) {
          const t = candidates[0] as SocketTrack;
          const last = (t.points[t.points.length - 1] as TrackPoint).socket;
          if (!claimed.has(t) && (s.inode === '0' || last.inode === '0')) track = t;
        }
      }
      if (track === undefined) {
        track = { points: [], current: false };
        all.push(track);
      }
      claimed.add(track);
      track.points.push({ time: sample.time, socket: s });
      if (inode !== undefined) nextInode.set(inode, track);
      const list = nextTuple.get(tuple);
      if (list === undefined) nextTuple.set(tuple, [track]);
      else list.push(track);
    }
    byInode = nextInode;
    byTuple = nextTuple;
    if (i === sorted.length - 1) for (const t of claimed) t.current = true;
  }
  return all;
}

/**
 * The last consecutive points of a track for which `test` holds (oldest first); empty when it does not hold for the
 * last point.
 */
export function trailingRun(points: readonly TrackPoint[], test: (s: InetRow) => boolean): TrackPoint[] {
  let start = points.length;
  while (start > 0 && test((points[start - 1] as TrackPoint).socket)) start--;
  return points.slice(start);
}
