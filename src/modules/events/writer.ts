/**
 * Group commit for event intake: reports that arrive while a commit is in
 * flight queue up and go into the next transaction together, so the cost of
 * a commit (and of the audit head lock) is shared by all of them. A caller's
 * promise settles only once its own transaction has committed (or failed:
 * then nothing of its batch was stored). No timer: an idle writer commits at
 * once (next tick), so a lone report waits for nobody.
 */
import { AppError } from '../../platform/errors.js';

export interface GroupCommitOptions {
  /** Most jobs in one transaction. */
  maxBatch: number;
  /** Jobs waiting (queued plus in flight) before callers are told to come back later (503). */
  maxQueued: number;
}

interface Pending<J, R> { job: J; resolve(r: R): void; reject(e: unknown): void }

export class GroupCommit<J, R> {
  private queue: Array<Pending<J, R>> = [];
  private inFlight = 0;
  private running: Promise<void> | null = null;
  private scheduled = false;
  private closed = false;

  /** `commit` stores all jobs in ONE transaction and answers one result per job, in order. */
  constructor(private readonly commit: (jobs: J[]) => Promise<R[]>, private readonly o: GroupCommitOptions) {}

  submit(job: J): Promise<R> {
    if (this.closed) return Promise.reject(new AppError(503, 'SHUTTING_DOWN', 'The server is shutting down; send the report again in a moment', { retryAfterS: 5 }));
    if (this.queue.length + this.inFlight >= this.o.maxQueued) {
      return Promise.reject(new AppError(503, 'SERVICE_BUSY', `${this.queue.length + this.inFlight} reports are waiting to be stored; retry after a second (see Retry-After)`, { retryAfterS: 1 }));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.schedule();
    });
  }

  /** Nothing queued, scheduled or being written. */
  idle(): boolean {
    return !this.running && !this.scheduled && !this.queue.length;
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.running || this.queue.length) {
      if (this.running) await this.running;
      else await this.run();
    }
  }

  /** Refuse new jobs, then finish the accepted ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.running || this.scheduled) return; // a running commit picks the queue up when it ends
    this.scheduled = true;
    // setImmediate, not a microtask: requests parsed in the same I/O turn join the same batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private run(): Promise<void> {
    if (this.running) return this.running;
    if (!this.queue.length) return Promise.resolve();
    const batch = this.queue.splice(0, this.o.maxBatch);
    this.inFlight = batch.length;
    this.running = this.store(batch).finally(() => {
      this.running = null;
      this.inFlight = 0;
      if (this.queue.length) void this.run();
    });
    return this.running;
  }

  private async store(batch: Array<Pending<J, R>>): Promise<void> {
    let results: R[];
    try {
      results = await this.commit(batch.map((p) => p.job));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // The whole transaction rolled back: one bad report must not fail the others, so each goes alone.
      for (const p of batch) await this.store([p]);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }
}
