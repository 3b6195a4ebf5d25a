/**
 * The `/proc/<pid>/fd` pass itself: list each process's descriptors and read their links, keeping only socket
 * links. The same function runs inline (sync driver, small scans) and in worker threads (workers/fd-scan.ts).
 * @module
 */

/** What the scan found, as plain arrays a worker can post back. Mapping and counting happen afterwards. */
export interface RawFdScan {
  /** The errno code when the procfs root itself could not be listed (nothing else is then filled in). */
  rootError: string | null;
  /** The processes looked at, ascending. */
  pids: number[];
  /** Per pid: 0 its fd folder was listed, 1 listing it was refused, 2 it was gone (exited). */
  listing: number[];
  /** Per pid: descriptors listed. */
  fdCount: number[];
  /** Per pid: links that could not be read for another reason than a refusal (the descriptor was closed). */
  linksGone: number[];
  /** Per pid: 1 when a link was refused (a non-dumpable process without CAP_SYS_PTRACE). */
  linksDenied: number[];
  /** Socket descriptors, one entry per index across the three arrays. */
  sockPid: number[];
  sockFd: number[];
  /** The link text, `socket:[N]`. */
  sockLink: string[];
}

/** What an fd-scan worker (workers/fd-scan.ts) is started with. */
export interface FdScanWorkerData {
  root: string;
  pids: readonly number[] | null;
  /** The shared counter of a scan split over several workers (see {@link scanFdsWith}'s `share`). */
  share: Int32Array | undefined;
}

/** The synchronous `fs` calls the scan uses (`node:fs` itself, or a stand-in in tests). */
export interface FdScanFs {
  readdirSync(path: string): string[];
  readlinkSync(path: string): string;
}

/**
 * Lists `<root>/<pid>/fd` of `pids` (default: every process of `root`) and reads each link with blocking calls.
 * Failures are counted per process, never thrown.
 *
 * `share`: scans that share the list (the same `pidList` given to each, in threads of their own) take its pids one
 * at a time from this counter in shared memory, so busy processes spread over them; each result then holds the
 * pids it took (ascending), to be merged with {@link mergeFdScans}.
 */
export function scanFdsWith(
  fs: FdScanFs,
  root: string,
  pidList: readonly number[] | null,
  share?: Int32Array,
): RawFdScan {
  const out: RawFdScan = {
    rootError: null,
    pids: [],
    listing: [],
    fdCount: [],
    linksGone: [],
    linksDenied: [],
    sockPid: [],
    sockFd: [],
    sockLink: [],
  };
  const codeOf = (e: unknown): string => {
    const c = (e as { code?: unknown } | null)?.code;
    return typeof c === 'string' ? c : 'EIO';
  };
  let pids: number[];
  if (pidList !== null) {
    pids = pidList.slice();
  } else {
    let names: string[];
    try {
      names = fs.readdirSync(root);
    } catch (e) {
      out.rootError = codeOf(e);
      return out;
    }
    pids = [];
    for (const n of names) {
      const c = n.charCodeAt(0);
      if (c < 0x31 || c > 0x39) continue;
      const v = Number(n);
      if (Number.isSafeInteger(v)) pids.push(v);
    }
    pids.sort((a, b) => a - b);
  }
  out.pids = share === undefined ? pids : [];
  for (let j = 0; ; j++) {
    let pid: number;
    if (share === undefined) {
      if (j >= pids.length) break;
      pid = pids[j] as number;
    } else {
      const i = Atomics.add(share, 0, 1);
      if (i >= pids.length) break;
      pid = pids[i] as number;
      out.pids.push(pid);
    }
    const dir = `${root}/${pid}/fd`;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (e) {
      const code = codeOf(e);
      out.listing.push(code === 'ENOENT' || code === 'ESRCH' ? 2 : 1);
      out.fdCount.push(0);
      out.linksGone.push(0);
      out.linksDenied.push(0);
      continue;
    }
    let gone = 0;
    let denied = 0;
    for (const name of names) {
      let link: string;
      try {
        link = fs.readlinkSync(`${dir}/${name}`);
      } catch (e) {
        const code = codeOf(e);
        if (code === 'EACCES' || code === 'EPERM') denied = 1;
        else gone++;
        continue;
      }
      // `s` first: most links are not sockets, and this skips them without a string comparison.
      if (link.charCodeAt(0) === 0x73 && link.startsWith('socket:[')) {
        out.sockPid.push(pid);
        out.sockFd.push(Number(name));
        out.sockLink.push(link);
      }
    }
    out.listing.push(0);
    out.fdCount.push(names.length);
    out.linksGone.push(gone);
    out.linksDenied.push(denied);
  }
  return out;
}

/**
 * One scan from the parts of a shared scan (see `share` of {@link scanFdsWith}): everything in pid order, as one
 * scan of the same processes gives it.
 */
export function mergeFdScans(parts: readonly RawFdScan[]): RawFdScan {
  const out: RawFdScan = {
    rootError: parts.find((p) => p.rootError !== null)?.rootError ?? null,
    pids: [],
    listing: [],
    fdCount: [],
    linksGone: [],
    linksDenied: [],
    sockPid: [],
    sockFd: [],
    sockLink: [],
  };
  const at = parts.map(() => 0);
  for (let best = lowest(parts, at, 'pids'); best >= 0; best = lowest(parts, at, 'pids')) {
    const part = parts[best] as RawFdScan;
    const i = at[best] as number;
    at[best] = i + 1;
    out.pids.push(part.pids[i] as number);
    out.listing.push(part.listing[i] as number);
    out.fdCount.push(part.fdCount[i] as number);
    out.linksGone.push(part.linksGone[i] as number);
    out.linksDenied.push(part.linksDenied[i] as number);
  }
  // Sockets too in pid order (each part's are, and no pid is in two parts): the order one scan gives.
  const sock = parts.map(() => 0);
  for (let best = lowest(parts, sock, 'sockPid'); best >= 0; best = lowest(parts, sock, 'sockPid')) {
    const part = parts[best] as RawFdScan;
    const pid = part.sockPid[sock[best] as number] as number;
    for (let k = sock[best] as number; k < part.sockPid.length && part.sockPid[k] === pid; k++) {
      out.sockPid.push(pid);
      out.sockFd.push(part.sockFd[k] as number);
      out.sockLink.push(part.sockLink[k] as string);
      sock[best] = k + 1;
    }
  }
  return out;
}

/** The part whose next entry (at `at[p]` of its `field`) has the lowest pid, or -1 when every part is used up. */
function lowest(parts: readonly RawFdScan[], at: readonly number[], field: 'pids' | 'sockPid'): number {
  let best = -1;
  let bestPid = 0;
  for (let p = 0; p < parts.length; p++) {
    const list = (parts[p] as RawFdScan)[field];
    const i = at[p] as number;
    if (i < list.length && (best < 0 || (list[i] as number) < bestPid)) {
      best = p;
      bestPid = list[i] as number;
    }
  }
  return best;
}
