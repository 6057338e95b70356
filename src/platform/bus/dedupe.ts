/** Bounded memory of recently handled event ids, so redelivered events are handled once. */
export class RecentIds {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 100_000) {}

  /** Returns true the first time an id is offered, false for a repeat. */
  firstTime(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) {
      // Sets iterate in insertion order: drop the oldest
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  /** Forget an id (its handling failed, so a redelivery must be handled again). */
  forget(id: string): void {
    this.seen.delete(id);
  }
}
