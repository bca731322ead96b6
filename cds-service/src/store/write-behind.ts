/**
 * Write-behind for records the answer does not wait for (a hook's assessment snapshot, issued cards
 * and audit event), queued and written together a few milliseconds later, one statement for many
 * hooks instead of several statements for each; and for those an answer waits for (on embedded
 * PGlite, JWT ids: the token is accepted only once its batch is stored), written at once, ahead of
 * the others and in batches of their own. One
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
  awaited: boolean;
  /** performance.now() when queued. */
  queuedAt: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WriteBehind<T> {
  private queue: Queued<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The writer, while it runs: it keeps writing until the queue is empty. */
  private writer: Promise<void> | undefined;
  /** The running writer writes everything queued (false: only what answers wait for, and what is due). */
  private writingAll = false;

  constructor(private readonly options: WriteBehindOptions<T>) {}

  /** Items waiting for the writer. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Queues `item`. `awaited`: the caller's answer waits for this write (a JWT id), so an idle writer
   * starts now instead of after `delayMs`, and writes it ahead of the other queued records, in a
   * batch of its own; whatever queues while it writes goes in its next batch, so batches still
   * form under load without adding the delay to every answer.
   */
  add(item: T, awaited = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, awaited, queuedAt: performance.now(), resolve, reject });
      if (this.writer) return; // the running writer takes it next
      if (this.queue.length >= this.options.maxBatch) this.startWriter(true);
      else if (awaited) this.startWriter(false);
      // Not unref'd: a process must not exit with records still queued.
      else this.timer ??= setTimeout(() => this.startWriter(true), this.options.delayMs);
    });
  }

  /** Writes everything queued now and waits until it, and any write under way, has finished. */
  async drain(): Promise<void> {
    while (this.queue.length || this.writer) {
      this.startWriter(true);
      await this.writer;
    }
  }

  /** `all`: write everything queued; else what answers wait for, and the rest only once it is due. */
  private startWriter(all: boolean): void {
    if (all) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writingAll = true;
    }
    this.writer ??= this.writeAll().finally(() => {
      this.writer = undefined;
      this.writingAll = false;
      // Left queued (not yet due, or queued after the writer's last look): written when due.
      const oldest = this.queue[0];
      if (oldest) {
        const wait = Math.max(0, this.options.delayMs - (performance.now() - oldest.queuedAt));
        this.timer ??= setTimeout(() => this.startWriter(true), wait);
      }
    });
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length) {
      const awaited = this.queue.filter((q) => q.awaited).slice(0, this.options.maxBatch);
      if (awaited.length > 0 && awaited.length < this.queue.length) {
        const taken = new Set(awaited);
        this.queue = this.queue.filter((q) => !taken.has(q));
        await this.writeBatch(awaited);
        continue;
      }
      const due =
        this.writingAll ||
        awaited.length > 0 ||
        this.queue.length >= this.options.maxBatch ||
        performance.now() - this.queue[0]!.queuedAt >= this.options.delayMs;
      if (!due) return;
      await this.writeBatch(this.queue.splice(0, this.options.maxBatch));
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
