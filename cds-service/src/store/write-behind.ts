/**
 * Write-behind for records the answer does not wait for (a hook's assessment snapshot, issued cards
 * and audit event; on embedded PGlite, JWT ids): they are queued and written together a few
 * milliseconds later, one statement for many hooks instead of several statements for each. Each
 * `add` resolves when its batch is stored and rejects when it failed; callers log, as they would for
 * a direct write. Readers that must see queued records call `drain()` first.
 */

export interface WriteBehindOptions<T> {
  /** Writes one batch; rejects when nothing of it was stored. */
  write(items: T[]): Promise<void>;
  /** How long the first queued item waits for company. */
  delayMs: number;
  /** A batch this large is written at once. */
  maxBatch: number;
  /**
   * After a batch of several items failed with this error, each item is tried alone, so that one bad
   * record does not take the others with it. Not for an unavailable database (it would fail each).
   */
  retryAlone(error: unknown): boolean;
}

interface Queued<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WriteBehind<T> {
  private queue: Queued<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The batch being written and those chained after it: one at a time, in order. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: WriteBehindOptions<T>) {}

  /** Items queued and not yet handed to the database. */
  get queued(): number {
    return this.queue.length;
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else if (!this.timer) {
        this.timer = setTimeout(() => this.flush(), this.options.delayMs);
        this.timer.unref();
      }
    });
  }

  /** Writes everything queued now and waits until every write begun so far has finished. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.queue.length) this.flush();
      const writing = this.writing;
      await writing;
      if (writing === this.writing && !this.queue.length) return;
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.writing = this.writing.then(() => this.writeBatch(batch));
    }
  }

  private async writeBatch(batch: Queued<T>[]): Promise<void> {
    try {
      await this.options.write(batch.map((q) => q.item));
      for (const q of batch) q.resolve();
    } catch (error) {
      if (batch.length > 1 && this.options.retryAlone(error)) {
        for (const q of batch) await this.writeBatch([q]);
      } else {
        for (const q of batch) q.reject(error);
      }
    }
  }
}
