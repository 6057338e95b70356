/**
 * When the nightly retraining runs: the next time the city's wall clock
 * shows the given hour. Pure: the caller passes "now" from its Clock.
 * On a daylight-saving night it may run an hour early or late, which is fine
 * for a nightly job.
 */
const DAY = 86_400_000;

/** Milliseconds from `now` to the next `hour`:00 in `timeZone` (never 0: a run at the hour waits a day). */
export function msUntilLocalHour(now: number, hour: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const sinceMidnight = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 + (now % 1000);
  const wait = (((hour * 3_600_000 - sinceMidnight) % DAY) + DAY) % DAY;
  return wait === 0 ? DAY : wait;
}
