/**
 * Write-behind for records the answer does not wait for (a hook's assessment snapshot, issued cards
 * and audit event) and for those it waits for but may share a statement with (on embedded PGlite,
 * JWT ids: the token is accepted only once its batch is stored): they are queued and written together a few
 * milliseconds later, one statement for many hooks instead of several statements for each. One
 * writer at a time takes whatever has queued, up to `maxBatch` (group commit): when the database
 * is slower than the hooks, batches grow instead of a backlog of small writes forming. Each `add`
 * resolves when its batch is stored and rejects when it failed; callers log, as they would for a
 * direct write. Readers that must see queued records call `drain()` first.
 */

export interface WriteBehindOptions<T> {
  /** Writes one batch; rejects when nothing of it was stored. */
  write(items: T[]): Promise<void>;
  /** How long the first queued item waits for company. */
  delayMs: number;
  /** At most this many items per write; a queue this long is written at once. */
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
  /** The writer, while it runs: it keeps writing until the queue is empty. */
  private writer: Promise<void> | undefined;

  constructor(private readonly options: WriteBehindOptions<T>) {}

  /** Items waiting for the writer. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Queues `item`. `awaited`: the caller's answer waits for this write (a JWT id), so an idle writer
   * starts now instead of after `delayMs`; whatever queues while it writes goes in its next batch,
   * so batches still form under load without adding the delay to every answer.
   */
  add(item: T, awaited = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.writer) return; // the running writer takes it next
      if (awaited || this.queue.length >= this.options.maxBatch) this.startWriter();
      // Not unref'd: a process must not exit with records still queued.
      else this.timer ??= setTimeout(() => this.startWriter(), this.options.delayMs);
    });
  }

  /** Writes everything queued now and waits until it, and any write under way, has finished. */
  async drain(): Promise<void> {
    while (this.queue.length || this.writer) {
      this.startWriter();
      await this.writer;
    }
  }

  private startWriter(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writer ??= this.writeAll().finally(() => {
      this.writer = undefined;
      // Queued after the writer's last look, before it stopped: give them their own write.
      if (this.queue.length) this.timer ??= setTimeout(() => this.startWriter(), this.options.delayMs);
    });
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length) await this.writeBatch(this.queue.splice(0, this.options.maxBatch));
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
