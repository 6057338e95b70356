// The nightly retraining time: 03:00 on the city's wall clock, whatever the server's zone.
import { describe, expect, it } from 'vitest';
import { msUntilLocalHour } from './schedule.logic.js';

const H = 3_600_000;

describe('msUntilLocalHour', () => {
  it('waits until 03:00 in Andorra (UTC+1 in winter)', () => {
    // 22 Nov 2026 20:00 UTC = 21:00 in Andorra: six hours to 03:00.
    expect(msUntilLocalHour(Date.UTC(2026, 10, 22, 20), 3, 'Europe/Andorra')).toBe(6 * H);
    // 01:30 UTC = 02:30 local: half an hour.
    expect(msUntilLocalHour(Date.UTC(2026, 10, 23, 1, 30), 3, 'Europe/Andorra')).toBe(H / 2);
  });

  it('waits a full day when it is exactly the hour', () => {
    expect(msUntilLocalHour(Date.UTC(2026, 10, 23, 2), 3, 'Europe/Andorra')).toBe(24 * H);
  });
});
