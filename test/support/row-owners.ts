/** Each row's owners from owners by inode (an `OwnerScan`), as `attachOwners` takes them: for tests that plant owners. */
import type { OwnerScan, RowOwners } from '../../src/node/owners-scan.js';

export function ownersByRow(scan: OwnerScan, rows: readonly { inode: string }[]): RowOwners {
  return { stats: scan.stats, at: (i) => scan.owners.get((rows[i] as { inode: string }).inode) ?? [] };
}
