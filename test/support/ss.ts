/**
 * Reads `ss -tuanxpe`-style output (iproute2) into rows, for differential tests against procnet.
 * Only inet rows (tcp, udp, raw, icmp...); unix rows are skipped.
 */
export interface SsRow {
  netid: string;
  state: string;
  recvQ: number;
  sendQ: number;
  local: { address: string; port: string };
  peer: { address: string; port: string };
  inode: string | undefined;
  line: number;
}

function splitAddr(text: string): { address: string; port: string } {
  const i = text.lastIndexOf(':');
  let address = text.slice(0, i);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const pct = address.indexOf('%');
  if (pct >= 0) address = address.slice(0, pct);
  return { address, port: text.slice(i + 1) };
}

export function parseSsOutput(text: string): SsRow[] {
  const rows: SsRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    const t = l.trim().split(/\s+/);
    if (!/^(tcp|udp|raw|icmp6?|p_raw|p_dgr|udplite)/.test(t[0] ?? '') || t.length < 6) continue;
    const ino = /\bino:(\d+)/.exec(l);
    rows.push({
      netid: t[0] as string,
      state: t[1] as string,
      recvQ: Number(t[2]),
      sendQ: Number(t[3]),
      local: splitAddr(t[4] as string),
      peer: splitAddr(t[5] as string),
      inode: ino?.[1],
      line: i + 1,
    });
  }
  return rows;
}

/** ss's address column → `address:port` with brackets dropped and a dual-stack `*` written `::`. */
export function ssEndpoint(text: string): string {
  const colon = text.lastIndexOf(':');
  let address = text.slice(0, colon);
  if (address.startsWith('[')) address = address.slice(1, -1);
  if (address === '*') address = '::';
  return `${address}:${text.slice(colon + 1)}`;
}

/** The rows of `ss -[tu]anH …` as `local peer` keys (the State column is left out when one state is selected). */
export function ssInetKeys(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const [local, peer] = /^\d+$/.test(fields[0]!) ? fields.slice(2, 4) : fields.slice(3, 5);
      return `${ssEndpoint(local!)} ${ssEndpoint(peer!)}`;
    })
    .sort();
}

/** The inodes of `ss -xaH …` rows (names may hold spaces and newlines: each row is read from its end). */
export function ssUnixInodes(stdout: string): string[] {
  const starts = [...stdout.matchAll(/^(u_str|u_dgr|u_seq) /gm)].map((m) => m.index);
  return starts
    .map((start, i) => {
      const row = stdout.slice(start, starts[i + 1] ?? stdout.length).trimEnd();
      const m = /(\d+)\s+\S+\s+(\d+)$/.exec(row);
      if (m === null) throw new Error(`unreadable ss row: ${JSON.stringify(row)}`);
      return m[1]!;
    })
    .sort();
}
