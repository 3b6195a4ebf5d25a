/**
 * The table-read worker's ring (table-read-protocol.ts): batches come in shared slots that the consumer frees when it
 * is done, so a read makes no buffer per batch. Every byte arrives in order whether the consumer frees its slots or
 * holds them; a freed slot is used again by the next read; a held slot is never written over, and with every slot held
 * the worker reads into buffers of its own. A file of its own (vitest runs each file in a process of its own), so no
 * other test holds a slot of these workers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trustedFile } from '../../src/node/files.js';
import { RING_SLOTS } from '../../src/node/table-read-protocol.js';
import { readInWorker } from '../../src/node/table-read-worker.js';
import { readInWorkerAhead } from '../../src/node/table-stream.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-ring-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A file in a pattern that shows any byte lost, repeated, moved or written over. */
const bytes = Buffer.alloc(100_003);
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 1) & 0xff;
const path = join(tmp, 'patterned');
writeFileSync(path, bytes);
const BATCH = 4096;
const BATCHES = Math.ceil(bytes.length / BATCH);

/** One read in one worker: the bytes as the consumer saw them, and how many batches came in ring slots. */
async function read(free: boolean): Promise<{ got: Buffer; slotted: number; held: Uint8Array[] }> {
  const copies: Buffer[] = [];
  const held: Uint8Array[] = [];
  let slotted = 0;
  const end = await readInWorker(
    trustedFile(path, 'table'),
    (chunk, done) => {
      if (done !== null) slotted++;
      if (free) {
        copies.push(Buffer.from(chunk));
        done?.();
      } else held.push(chunk);
    },
    BATCH,
  );
  expect(end).toBeNull();
  return { got: free ? Buffer.concat(copies) : Buffer.concat(held), slotted, held };
}

describe('the table-read ring', () => {
  it('frees a batch once the next one is asked for, and every batch not taken when the stream stops', async () => {
    // readInWorkerAhead's batches: valid until the next is asked for. Holding each one across the next ask would show
    // a slot written over while in use; copying each before asking again gives every byte.
    const stream = readInWorkerAhead(trustedFile(path, 'table'));
    const copies: Buffer[] = [];
    for (let next = await stream.next(); !next.done; next = await stream.next()) copies.push(Buffer.from(next.value));
    expect(Buffer.concat(copies).equals(bytes)).toBe(true);
    // Stopped after one batch: the slots of the batches queued behind it are freed too, so a next read finds them.
    const stopped = readInWorkerAhead(trustedFile(path, 'table'));
    expect((await stopped.next()).done).toBe(false);
    await stopped.return(null);
    const again = await read(true);
    expect(again.got.equals(bytes)).toBe(true);
  });
  it('puts batches in its slots, frees them for the next read, and never writes over a held one', async () => {
    expect(BATCHES).toBeGreaterThan(2 * RING_SLOTS);
    // Every slot is free (the streams above freed theirs): the first batches go in them; the consumer frees each after
    // copying it.
    const first = await read(true);
    expect(first.got.equals(bytes)).toBe(true);
    expect(first.slotted).toBeGreaterThanOrEqual(RING_SLOTS);
    // The same worker again: the slots were freed, so they are used again.
    const second = await read(true);
    expect(second.got.equals(bytes)).toBe(true);
    expect(second.slotted).toBeGreaterThanOrEqual(RING_SLOTS);
    // A consumer that holds every batch: the slots it holds are never written over (checked once the read is over).
    const holding = await read(false);
    expect(holding.slotted).toBe(RING_SLOTS);
    expect(holding.got.equals(bytes)).toBe(true);
    // Every slot is held now: the worker reads into buffers of its own, and every byte still arrives.
    const after = await read(true);
    expect(after.slotted).toBe(0);
    expect(after.got.equals(bytes)).toBe(true);
    expect(Buffer.concat(holding.held).equals(bytes)).toBe(true);
  });
});
