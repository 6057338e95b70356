/**
 * Group commit: requests queue their validated readings; one writer stores
 * everything queued in ONE transaction a few milliseconds later (or at once
 * when enough is queued), then resolves every request's promise. So a
 * request is acknowledged only once its readings are durable, and the cost
 * of a commit is shared by all requests that arrived meanwhile. The queue is
 * bounded: past the limit, callers are told to come back later (503).
 */
import { AppError } from '../../../platform/errors.js';
import type { InsertOutcome, ReadingColumns } from './types.js';

export interface WriteSink {
  insert(batches: readonly ReadingColumns[]): InsertOutcome[] | Promise<InsertOutcome[]>;
  busy(): boolean;
}

interface Pending {
  cols: ReadingColumns;
  resolve(o: InsertOutcome): void;
  reject(e: unknown): void;
}

export interface WriterOptions {
  flushDelayMs: number;
  flushRows: number;
  maxQueuedRows: number;
  /** Runs right after a commit, before the requests are answered (latest values, bus event). Must not throw. */
  onCommitted(batches: readonly ReadingColumns[], outcomes: readonly InsertOutcome[]): void;
  onError(err: unknown): void;
}

export class GroupCommitWriter {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private inFlightRows = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(private readonly sink: WriteSink, private readonly o: WriterOptions) {}

  /** Readings waiting for the store (queued plus being written). */
  backlog(): number {
    return this.queuedRows + this.inFlightRows;
  }

  /** Resolves once the readings are committed. Throws 503 SERVICE_BUSY when the backlog is full. */
  write(cols: ReadingColumns): Promise<InsertOutcome> {
    if (this.closed) return Promise.reject(new AppError(503, 'SHUTTING_DOWN', 'The server is shutting down; send the readings again in a moment', { retryAfterS: 5 }));
    if (this.backlog() + cols.n > this.o.maxQueuedRows && this.backlog() > 0) {
      return Promise.reject(new AppError(503, 'SERVICE_BUSY', `The store is ${this.backlog()} readings behind; retry after a second (see Retry-After)`, { retryAfterS: 1 }));
    }
    return new Promise<InsertOutcome>((resolve, reject) => {
      this.queue.push({ cols, resolve, reject });
      this.queuedRows += cols.n;
      this.schedule();
    });
  }

  /** Write everything queued now and wait for it. */
  async flush(): Promise<void> {
    while (this.queue.length || this.flushing) {
      if (this.flushing) await this.flushing;
      else if (this.sink.busy()) await new Promise((r) => setTimeout(r, 1));
      else await this.runFlush();
    }
  }

  /** Refuse new writes, then store everything already accepted. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    await this.flush();
  }

  private schedule(): void {
    if (this.flushing) return; // the running flush reschedules when it ends
    if (this.queuedRows >= this.o.flushRows) {
      if (!this.immediate) this.immediate = setImmediate(() => void this.runFlush());
      return;
    }
    if (!this.timer) this.timer = setTimeout(() => void this.runFlush(), this.o.flushDelayMs);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private runFlush(): Promise<void> {
    this.clearTimers();
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return Promise.resolve();
    if (this.sink.busy()) {
      // Another module holds a transaction on the shared connection: never join it, wait for it.
      this.timer = setTimeout(() => void this.runFlush(), 1);
      return Promise.resolve();
    }
    const batch = this.queue;
    this.queue = [];
    this.inFlightRows = this.queuedRows;
    this.queuedRows = 0;
    this.flushing = this.commit(batch).finally(() => {
      this.flushing = null;
      this.inFlightRows = 0;
      if (this.queue.length) this.schedule();
    });
    return this.flushing;
  }

  private async commit(batch: Pending[]): Promise<void> {
    const cols = batch.map((p) => p.cols);
    let outcomes: InsertOutcome[];
    try {
      // A synchronous store (SQLite) is not awaited: nothing may run between its commit and onCommitted.
      const r = this.sink.insert(cols);
      outcomes = r instanceof Promise ? await r : r;
    } catch (err) {
      this.o.onError(err);
      const e = new AppError(503, 'STORE_UNAVAILABLE', 'The readings could not be stored right now; nothing was acknowledged, send them again', { retryAfterS: 1 });
      for (const p of batch) p.reject(e);
      return;
    }
    try {
      this.o.onCommitted(cols, outcomes);
    } catch (err) {
      this.o.onError(err);
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(outcomes[i]!);
  }
}
