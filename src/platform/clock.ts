/** Injectable time: production uses the system clock, tests move a manual clock and never sleep. */
export interface Clock {
  now(): number; // epoch milliseconds, UTC
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private t: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const toIso = (ms: number): string => new Date(ms).toISOString();
