import { WriteBehind } from './write-behind';

/** A writer whose writes are recorded and can be held open or made to fail. */
function recorder(options: { maxBatch?: number; delayMs?: number; retryAlone?: boolean } = {}) {
  const writes: number[][] = [];
  let hold: Promise<void> | undefined;
  let failOn: number | undefined;
  let onWrite: (() => void) | undefined;
  const queue = new WriteBehind<number>({
    delayMs: options.delayMs ?? 5,
    maxBatch: options.maxBatch ?? 100,
    retryAlone: () => options.retryAlone ?? true,
    write: async (items) => {
      writes.push(items);
      onWrite?.();
      if (hold) await hold;
      if (failOn !== undefined && items.includes(failOn)) throw new Error(`bad item ${failOn}`);
    },
  });
  return {
    queue,
    writes,
    holdWrites() {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = undefined;
        release();
      };
    },
    failOn(item: number) {
      failOn = item;
    },
    /** Resolves when the next write starts. */
    nextWrite(): Promise<void> {
      return new Promise<void>((resolve) => (onWrite = resolve));
    },
  };
}

describe('WriteBehind', () => {
  it('writes what arrives within the delay in one write, and resolves each item after it', async () => {
    const r = recorder();
    const added = [1, 2, 3].map((n) => r.queue.add(n));
    expect(r.writes).toEqual([]); // nothing written yet: waiting for company
    await Promise.all(added);
    expect(r.writes).toEqual([[1, 2, 3]]);
  });

  it('writes at once when a full batch has queued', async () => {
    const r = recorder({ maxBatch: 2, delayMs: 60_000 });
    await Promise.all([r.queue.add(1), r.queue.add(2)]);
    expect(r.writes).toEqual([[1, 2]]);
  });

  it('lets batches grow while a write is under way (one writer, no backlog of small writes)', async () => {
    const r = recorder({ maxBatch: 4 });
    const release = r.holdWrites();
    const started = r.nextWrite();
    const first = r.queue.add(0);
    await started; // the first write has started and is held
    const later = Array.from({ length: 6 }, (_, i) => r.queue.add(i + 1));
    release();
    await Promise.all([first, ...later]);
    expect(r.writes).toEqual([[0], [1, 2, 3, 4], [5, 6]]);
  });

  it('writes alone the items of a failed batch, so one bad item does not take the others', async () => {
    const r = recorder();
    r.failOn(2);
    const results = await Promise.allSettled([1, 2, 3].map((n) => r.queue.add(n)));
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(r.writes).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('rejects the whole batch without retrying when the failure is not one to retry (database down)', async () => {
    const r = recorder({ retryAlone: false });
    r.failOn(2);
    const results = await Promise.allSettled([1, 2, 3].map((n) => r.queue.add(n)));
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(r.writes).toEqual([[1, 2, 3]]);
  });

  it('drain writes what is queued now and waits for it', async () => {
    const r = recorder({ delayMs: 60_000 });
    const added = r.queue.add(7);
    await r.queue.drain();
    expect(r.writes).toEqual([[7]]);
    await expect(added).resolves.toBeUndefined();
    expect(r.queue.queued).toBe(0);
  });

  it('writes an item queued after the writer has finished', async () => {
    const r = recorder();
    await r.queue.add(1);
    await r.queue.add(2);
    expect(r.writes).toEqual([[1], [2]]);
  });
});

describe('an awaited item (a JWT id the answer waits for)', () => {
  it('starts an idle writer at once instead of after the delay', async () => {
    const r = recorder({ delayMs: 60_000 });
    await r.queue.add(1, true); // would hang for a minute (past the test's timeout) if it waited
    expect(r.writes).toEqual([[1]]);
  });

  it('goes ahead of records queued beside it, in a batch of its own; they keep their delay', async () => {
    const r = recorder({ delayMs: 60_000 });
    const release = r.holdWrites();
    const started = r.nextWrite();
    const first = r.queue.add(1, true);
    await started;
    const second = r.queue.add(2);
    const third = r.queue.add(3, true);
    release();
    await Promise.all([first, third]);
    // The answer waiting for 3 did not wait for 2's write, nor 2 for its minute: only 3 was written.
    expect(r.writes).toEqual([[1], [3]]);
    expect(r.queue.queued).toBe(1);
    await r.queue.drain();
    await second;
    expect(r.writes).toEqual([[1], [3], [2]]);
  });

  it('joins the next batch with the other awaited items that queued while a write ran', async () => {
    const r = recorder({ delayMs: 60_000 });
    const release = r.holdWrites();
    const started = r.nextWrite();
    const first = r.queue.add(1, true);
    await started;
    const second = r.queue.add(2, true);
    const third = r.queue.add(3, true);
    release();
    await Promise.all([first, second, third]);
    expect(r.writes).toEqual([[1], [2, 3]]);
  });
});
