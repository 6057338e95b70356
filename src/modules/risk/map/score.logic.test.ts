/** Risk map scoring: contributions from alarms, anomalies and forecasts; noisy-OR per area and level; reasons. */
import { describe, expect, it } from 'vitest';
import type { Alarm, Severity } from '../types.js';
import { ALARM_WEIGHT, FORECAST_FACTOR, contributions, scoreAreas, type ScoreInputs } from './score.logic.js';

const NOW = Date.UTC(2026, 0, 1, 8);
const levels: Record<string, 'city' | 'district' | 'street' | 'grid'> = { c: 'city', d1: 'district', d2: 'district', s1: 'street', s2: 'street', s3: 'street', g1: 'grid', g2: 'grid', g3: 'grid' };
const levelOf = (id: string) => levels[id];
const places: Record<string, string> = { 'w-1': '/c/d1/s1/g1/', 'w-2': '/c/d1/s1/g2/', 't-1': '/c/d1/s2/g3/', 'x-1': '/c/d2/s3/' };

const alarm = (id: string, severity: Severity, orgPath: string | null, sourceId = 'w-1'): Alarm => ({
  id, state: 'active_unack', severity, source: 'rule', ruleId: 'r', ruleVersion: 1, sourceId, sensorClass: 'water_level', messageZh: '水位过高',
  messageEn: 'Water level high', location: null, orgPath, raisedAt: NOW, lastAt: NOW, count: 1, lastValue: 3, acknowledgedAt: null, acknowledgedBy: null,
  clearedAt: null, clearedBy: null, incidentId: null, eventId: null, eventRequestedAt: null, department: null, notes: [], version: 1,
});

const inputs = (p: Partial<ScoreInputs>): ScoreInputs => ({
  now: NOW, alarms: [], anomalies: new Map(), warnings: new Map(), sensor: (id) => (places[id] ? { orgPath: places[id] } : undefined), ...p,
});

describe('risk map scoring', () => {
  it('is empty when nothing is wrong', () => {
    expect(scoreAreas(contributions(inputs({})), 'district', levelOf)).toEqual([]);
  });

  it('weighs an alarm by its severity, in its grid, street and district, with the reason', () => {
    const cs = contributions(inputs({ alarms: [alarm('a1', 'critical', '/c/d1/s1/g1/')] }));
    for (const [lvl, id] of [['grid', 'g1'], ['street', 's1'], ['district', 'd1']] as const) {
      const areas = scoreAreas(cs, lvl, levelOf);
      expect(areas).toHaveLength(1);
      expect(areas[0]).toMatchObject({ orgUnitId: id, level: lvl, value: ALARM_WEIGHT.critical });
      expect(areas[0]!.reasons).toEqual([{ kind: 'alarm', weight: ALARM_WEIGHT.critical, messageZh: '严重告警：水位过高', messageEn: 'critical alarm: Water level high', ref: 'a1' }]);
    }
  });

  it('combines reasons by noisy-OR: more reasons, more risk, never above 1; strongest reason first', () => {
    const one = scoreAreas(contributions(inputs({ alarms: [alarm('a1', 'minor', '/c/d1/s1/g1/')] })), 'street', levelOf)[0]!;
    const two = scoreAreas(contributions(inputs({ alarms: [alarm('a1', 'minor', '/c/d1/s1/g1/'), alarm('a2', 'major', '/c/d1/s1/g2/')] })), 'street', levelOf)[0]!;
    expect(two.value).toBeCloseTo(1 - (1 - ALARM_WEIGHT.minor) * (1 - ALARM_WEIGHT.major), 3);
    expect(two.value).toBeGreaterThan(one.value);
    expect(two.reasons.map((r) => r.ref)).toEqual(['a2', 'a1']);
    const many = Array.from({ length: 50 }, (_, i) => alarm(`a${i}`, 'critical', '/c/d1/s1/g1/'));
    const sat = scoreAreas(contributions(inputs({ alarms: many })), 'district', levelOf)[0]!;
    expect(sat.value).toBeLessThanOrEqual(1);
    expect(sat.reasons).toHaveLength(5);
  });

  it('keeps areas apart and sorts the riskiest first', () => {
    const cs = contributions(inputs({ alarms: [alarm('a1', 'warning', '/c/d1/s1/g1/'), alarm('a2', 'critical', '/c/d2/s3/')] }));
    const d = scoreAreas(cs, 'district', levelOf);
    expect(d.map((a) => a.orgUnitId)).toEqual(['d2', 'd1']);
    // an alarm located at street level adds nothing to any grid
    expect(scoreAreas(cs, 'grid', levelOf).map((a) => a.orgUnitId)).toEqual(['g1']);
  });

  it('locates an alarm without an org path through its sensor', () => {
    const cs = contributions(inputs({ alarms: [alarm('a1', 'major', null, 't-1'), alarm('a2', 'major', null, 'unknown')] }));
    expect(cs.map((c) => c.orgPath)).toEqual(['/c/d1/s2/g3/']);
  });

  it('counts only high, recent anomaly scores, weighted below a critical alarm', () => {
    const anomalies = new Map([
      ['w-1', { score: 0.95, at: NOW - 60_000 }],
      ['w-2', { score: 0.3, at: NOW }],
      ['t-1', { score: 0.99, at: NOW - 3_600_000 }],
      ['nowhere', { score: 1, at: NOW }],
    ]);
    const cs = contributions(inputs({ anomalies }));
    expect(cs.map((c) => [c.kind, c.ref])).toEqual([['anomaly', 'w-1']]);
    expect(cs[0]!.weight).toBeGreaterThan(0.25);
    expect(cs[0]!.weight).toBeLessThanOrEqual(0.5);
    expect(cs[0]!.messageEn).toContain('0.95');
  });

  it('counts forecast warnings below the alarm they foretell, saying when', () => {
    const warnings = new Map([['w-2', { severity: 'critical' as const, expectedAt: NOW + 20 * 60_000, value: 4.2 }]]);
    const g = scoreAreas(contributions(inputs({ warnings })), 'grid', levelOf);
    expect(g).toHaveLength(1);
    expect(g[0]).toMatchObject({ orgUnitId: 'g2', value: ALARM_WEIGHT.critical * FORECAST_FACTOR });
    expect(g[0]!.reasons[0]).toMatchObject({ kind: 'forecast', ref: 'w-2' });
    expect(g[0]!.reasons[0]!.messageEn).toContain('in 20 min');
  });
});
