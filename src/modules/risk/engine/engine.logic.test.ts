import { describe, expect, it } from 'vitest';
import type { AlarmSignal, Rule, RuleInput } from '../types.js';
import { RiskEngine, type DetectorFactory, type SensorMeta } from './engine.logic.js';

const T0 = Date.UTC(2026, 5, 1, 8);
const S = 1000;

const meta = (id: string, cls: SensorMeta['class'], lon: number, lat: number, extra: Partial<SensorMeta> = {}): SensorMeta => ({
  id, name: id, class: cls, metric: cls === 'water_level' ? 'level' : cls === 'rainfall' ? 'intensity' : cls === 'pipe' ? 'pressure' : 'x',
  min: -10, max: 50, orgPath: '/city/d1/', lon, lat, thresholds: { warn: 2, alarm: 3 }, expectedIntervalS: 60, ...extra,
});

let n = 0;
const rule = (r: Partial<RuleInput> & Pick<RuleInput, 'condition'>): Rule => ({
  name: `rule ${++n}`, scope: { kind: 'class', class: 'water_level' }, severity: 'major', openEvent: null, enabled: true,
  id: `r${n}`, version: 1, createdAt: 0, updatedAt: 0, updatedBy: 't', ...r,
});

/** A detector that scores the value / 100, so tests choose the score. */
const echo: DetectorFactory = {
  create: () => {
    let seen = 0;
    return { update: (_t: number, v: number) => (seen++, Math.min(1, v / 100)), toJSON: () => ({ seen }) };
  },
  restore: (s) => {
    let seen = (s as { seen: number }).seen;
    return { update: (_t: number, v: number) => (seen++, Math.min(1, v / 100)), toJSON: () => ({ seen }) };
  },
};

function setup(metas: SensorMeta[], rules: Rule[], detectors = false) {
  const signals: AlarmSignal[] = [];
  const byId = new Map(metas.map((m) => [m.id, m]));
  const engine = new RiskEngine({ emit: (s) => signals.push(s), meta: (id) => byId.get(id), metas: () => byId.values(), ...(detectors ? { detectors: echo } : {}), options: { detectors } });
  engine.setRules(rules);
  const feed = (id: string, t: number, v: number) => engine.ingest([id], [t], [v], t);
  const kinds = () => signals.map((s) => `${s.kind}:${s.ruleId}:${s.sourceId}`);
  return { engine, signals, feed, kinds, byId };
}

describe('RiskEngine thresholds', () => {
  it('raises after the hold time and clears only past the hysteresis level', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2, clear: 1.5, forS: 30 } });
    const { feed, kinds, signals } = setup([meta('w1', 'water_level', 1.5, 42.5)], [r]);
    feed('w1', T0, 2.5);
    feed('w1', T0 + 20 * S, 2.6);
    expect(kinds()).toEqual([]);
    feed('w1', T0 + 30 * S, 2.7);
    expect(kinds()).toEqual(['raise:r1:w1']);
    expect(signals[0]).toMatchObject({ ruleVersion: 1, severity: 'major', value: 2.7, source: 'rule', sensorClass: 'water_level', location: { coordinates: [1.5, 42.5] } });
    feed('w1', T0 + 40 * S, 1.8); // under the value but above the clear level: still active
    feed('w1', T0 + 50 * S, 2.9);
    expect(kinds()).toEqual(['raise:r1:w1']);
    feed('w1', T0 + 60 * S, 1.4);
    expect(kinds()).toEqual(['raise:r1:w1', 'clear:r1:w1']);
  });

  it('resets the hold time when the value dips before it is up', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2, forS: 30 } });
    const { feed, kinds } = setup([meta('w1', 'water_level', 1.5, 42.5)], [r]);
    feed('w1', T0, 2.5);
    feed('w1', T0 + 20 * S, 1);
    feed('w1', T0 + 35 * S, 2.5);
    expect(kinds()).toEqual([]);
  });

  it("uses each sensor's own thresholds and skips sensors without one", () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 'sensor.alarm' } });
    const { feed, kinds, engine } = setup([meta('w1', 'water_level', 1.5, 42.5, { thresholds: { alarm: 5 } }), meta('w2', 'water_level', 1.5, 42.5, { thresholds: null })], [r]);
    feed('w1', T0, 4);
    feed('w2', T0, 40);
    feed('w1', T0 + S, 6);
    expect(kinds()).toEqual([`raise:${r.id}:w1`]);
    expect(engine.thresholdsFor('w1')).toMatchObject([{ ruleId: r.id, op: '>', value: 5 }]);
    expect(engine.thresholdsFor('w2')).toEqual([]);
  });

  it('honours metric and area scopes', () => {
    const speed = rule({ scope: { kind: 'class', class: 'traffic', metric: 'speed' }, condition: { type: 'threshold', op: '<', value: 10 } });
    const area = rule({ scope: { kind: 'area', class: 'water_level', orgUnitId: 'd2' }, condition: { type: 'threshold', op: '>', value: 1 } });
    const { feed, kinds } = setup([
      meta('t-flow', 'traffic', 1, 42, { metric: 'flow' }), meta('t-speed', 'traffic', 1, 42, { metric: 'speed' }),
      meta('w-d1', 'water_level', 1, 42, { orgPath: '/c/d1/' }), meta('w-d2', 'water_level', 1, 42, { orgPath: '/c/d2/g/' }),
    ], [speed, area]);
    for (const id of ['t-flow', 't-speed']) feed(id, T0, 5);
    for (const id of ['w-d1', 'w-d2']) feed(id, T0, 5);
    expect(kinds().sort()).toEqual([`raise:${speed.id}:t-speed`, `raise:${area.id}:w-d2`].sort());
  });
});

describe('RiskEngine rate, missing data and compound rules', () => {
  it('raises on a fast fall once the window has enough span, clears when it slows', () => {
    const r = rule({ scope: { kind: 'class', class: 'pipe' }, condition: { type: 'rate', op: 'fall', perMinute: 100, windowS: 60 } });
    const { feed, kinds } = setup([meta('p1', 'pipe', 1, 42, { min: 0, max: 2000 })], [r]);
    for (let i = 0; i <= 60; i++) feed('p1', T0 + i * S, 350 + (i % 2));
    feed('p1', T0 + 61 * S, 90);
    feed('p1', T0 + 62 * S, 88);
    expect(kinds()).toEqual([`raise:${r.id}:p1`]);
    for (let i = 63; i < 200; i++) feed('p1', T0 + i * S, 88 + (i % 2));
    expect(kinds()).toEqual([`raise:${r.id}:p1`, `clear:${r.id}:p1`]);
  });

  it('raises missing data on the sweep after factor × interval of silence, and a reading clears it', () => {
    const r = rule({ condition: { type: 'missing', factor: 3 } });
    const { engine, feed, kinds } = setup([meta('w1', 'water_level', 1, 42), meta('w2', 'water_level', 1, 42)], [r]);
    feed('w1', T0, 1);
    feed('w2', T0, 1);
    engine.sweep(T0 + 170 * S);
    feed('w2', T0 + 175 * S, 1);
    expect(kinds()).toEqual([]);
    engine.sweep(T0 + 181 * S);
    expect(kinds()).toEqual([`raise:${r.id}:w1`]);
    engine.sweep(T0 + 190 * S); // no repeat
    feed('w1', T0 + 200 * S, 1);
    expect(kinds()).toEqual([`raise:${r.id}:w1`, `clear:${r.id}:w1`]);
  });

  it('compound: raises when rain has fallen nearby and this gauge rose, not for a gauge far away', () => {
    const r = rule({
      condition: { type: 'compound', withinM: 3000, all: [
        { class: 'rainfall', measure: 'sum', windowS: 600, op: '>', value: 0.3 },
        { class: 'water_level', measure: 'rise', windowS: 600, op: '>', value: 0.3 },
      ] },
    });
    // ~1.1 km apart, and one gauge ~30 km away
    const { feed, kinds, signals } = setup([meta('rain', 'rainfall', 1.5, 42.5), meta('near', 'water_level', 1.51, 42.5), meta('far', 'water_level', 1.9, 42.5)], [r]);
    for (let i = 0; i <= 60; i++) {
      const t = T0 + i * S;
      feed('rain', t, 40); // 40 mm/h for a minute = 0.67 mm
      feed('near', t, 1 + i * 0.01);
      feed('far', t, 1 + i * 0.01);
    }
    expect(kinds()).toEqual([`raise:${r.id}:near`]);
    expect(signals[0]!.value).toBeCloseTo(1.3);
    // water stops rising over the window: the compound clears
    for (let i = 61; i <= 700; i += 10) feed('near', T0 + i * S, 1.6 + (i % 3) * 0.001);
    expect(kinds()).toEqual([`raise:${r.id}:near`, `clear:${r.id}:near`]);
  });
});

describe('RiskEngine rule changes', () => {
  it('clears what the old version raised when a rule is edited or removed', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2 } });
    const { engine, feed, kinds } = setup([meta('w1', 'water_level', 1, 42)], [r]);
    feed('w1', T0, 3);
    engine.setRules([{ ...r, version: 2, condition: { type: 'threshold', op: '>', value: 5 } }]);
    feed('w1', T0 + S, 3);
    expect(kinds()).toEqual([`raise:${r.id}:w1`, `clear:${r.id}:w1`]);
    engine.setRules([]);
    feed('w1', T0 + 2 * S, 9);
    expect(kinds()).toHaveLength(2);
  });
});

describe('RiskEngine faulty sensors', () => {
  it('a stuck sensor raises one fault and its rule alarms stay quiet until it recovers', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2 } });
    const { feed, kinds, engine } = setup([meta('w1', 'water_level', 1, 42, { min: -10, max: 50 })], [r]);
    let t = T0;
    for (let i = 0; i < 100; i++) feed('w1', (t += S), 1 + (i % 7) * 0.01);
    for (let i = 0; i < 40; i++) feed('w1', (t += S), 1.5);
    expect(kinds()).toEqual(['raise:fault:stuck:w1']);
    expect(engine.health('w1')).toMatchObject({ faulty: 'stuck' });
    feed('w1', (t += S), 1.5);
    expect(kinds()).toHaveLength(1);
    feed('w1', (t += S), 2.5); // moves again: recovered, and this reading is evaluated
    expect(kinds()).toEqual(['raise:fault:stuck:w1', 'clear:fault:stuck:w1', `raise:${r.id}:w1`]);
  });

  it('an impossible jump marks the sensor faulty instead of raising; it recovers after plausible readings', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2 } });
    const { feed, kinds, signals } = setup([meta('w1', 'water_level', 1, 42, { min: -10, max: 50 })], [r]);
    let t = T0;
    for (let i = 0; i < 10; i++) feed('w1', (t += S), 1 + i * 0.001);
    feed('w1', (t += S), 45); // +44 m in a second
    feed('w1', (t += S), NaN);
    expect(kinds()).toEqual(['raise:fault:jump:w1']);
    expect(signals[0]).toMatchObject({ source: 'fault', severity: 'minor' });
    // back from 45 to 1 is a jump too; then ten plausible readings
    for (let i = 0; i < 10; i++) feed('w1', (t += S), 1 + i * 0.001);
    expect(kinds()).toEqual(['raise:fault:jump:w1']);
    feed('w1', (t += S), 1.01);
    expect(kinds()).toEqual(['raise:fault:jump:w1', 'clear:fault:jump:w1']);
  });
});

describe('RiskEngine learned detectors and checkpoints', () => {
  it('keeps the latest score per sensor and raises a detector alarm at a high score', () => {
    const { feed, kinds, engine, signals } = setup([meta('w1', 'water_level', 1, 42, { max: 1000 })], [], true);
    feed('w1', T0, 10);
    expect(engine.anomalyScores().get('w1')).toEqual({ score: 0.1, at: T0 });
    feed('w1', T0 + S, 99.9); // one high score is not enough
    feed('w1', T0 + 2 * S, 10);
    for (let i = 1; i < 15; i++) feed('w1', T0 + (2 + i) * S, 99.85 + i * 0.001);
    expect(kinds()).toEqual([]);
    feed('w1', T0 + 17 * S, 99.85);
    expect(kinds()).toEqual(['raise:detector:anomaly:w1']);
    expect(signals[0]).toMatchObject({ source: 'detector', severity: 'warning' });
    feed('w1', T0 + 18 * S, 10);
    feed('w1', T0 + 400 * S, 10);
    expect(kinds()).toEqual(['raise:detector:anomaly:w1', 'clear:detector:anomaly:w1']);
  });

  it('restores from a snapshot without raising again, and the detector continues', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2 } });
    const miss = rule({ condition: { type: 'missing', factor: 3 } });
    const metas = [meta('w1', 'water_level', 1, 42), meta('w2', 'water_level', 1, 42)];
    const a = setup(metas, [r, miss], true);
    a.feed('w1', T0, 3);
    a.feed('w2', T0, 1);
    a.engine.sweep(T0 + 200 * S);
    expect(a.kinds()).toEqual([`raise:${r.id}:w1`, `raise:${miss.id}:w1`, `raise:${miss.id}:w2`]);
    const saved = JSON.parse(JSON.stringify(a.engine.snapshot())) as ReturnType<typeof a.engine.snapshot>;
    expect(a.engine.snapshot()).toEqual([]); // nothing changed since

    const b = setup(metas, [r, miss], true);
    b.engine.restore(saved);
    b.feed('w1', T0 + 300 * S, 3.5);
    expect(b.kinds()).toEqual([`clear:${miss.id}:w1`]); // the threshold alarm is still known to be active
    b.engine.sweep(T0 + 310 * S);
    expect(b.kinds()).toEqual([`clear:${miss.id}:w1`]); // w2's missing alarm is already raised: no repeat
    expect(b.engine.anomalyScores().get('w1')?.score).toBeCloseTo(0.035);
    expect((b.engine.snapshot().find((s) => s.sensorId === 'w1')!.state.det as { seen: number }).seen).toBe(2);
    b.feed('w1', T0 + 320 * S, 1);
    expect(b.kinds()).toEqual([`clear:${miss.id}:w1`, `clear:${r.id}:w1`]);
  });
});

describe('RiskEngine re-arm after a manual clear', () => {
  it('raises a still-true threshold again on the next reading, once, without waiting out forS', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2, clear: 1.5, forS: 30 } });
    const { engine, feed, kinds } = setup([meta('w1', 'water_level', 1, 42)], [r]);
    feed('w1', T0, 3);
    feed('w1', T0 + 30 * S, 3);
    expect(kinds()).toEqual(['raise:r' + r.id.slice(1) + ':w1']);
    expect(engine.rearm(r.id, 'w1')).toBe(true);
    expect(engine.rearm(r.id, 'w1')).toBe(false); // nothing left to re-arm
    feed('w1', T0 + 31 * S, 3);
    feed('w1', T0 + 32 * S, 3.1);
    feed('w1', T0 + 33 * S, 3.2);
    expect(kinds()).toEqual([`raise:${r.id}:w1`, `raise:${r.id}:w1`]); // one new raise, no storm
    feed('w1', T0 + 34 * S, 1);
    expect(kinds()).toEqual([`raise:${r.id}:w1`, `raise:${r.id}:w1`, `clear:${r.id}:w1`]);
  });

  it('stays quiet when the condition no longer holds at the next reading, and then needs the full hold again', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2, clear: 1.5, forS: 30 } });
    const { engine, feed, kinds } = setup([meta('w1', 'water_level', 1, 42)], [r]);
    feed('w1', T0, 3);
    feed('w1', T0 + 30 * S, 3);
    engine.rearm(r.id, 'w1');
    feed('w1', T0 + 31 * S, 1.8); // below the value (inside the hysteresis band): nothing
    feed('w1', T0 + 32 * S, 3);
    expect(kinds()).toEqual([`raise:${r.id}:w1`]);
    feed('w1', T0 + 62 * S, 3);
    expect(kinds()).toEqual([`raise:${r.id}:w1`, `raise:${r.id}:w1`]);
  });

  it('re-arms rate, missing-data, detector and fault alarms', () => {
    const rate = rule({ condition: { type: 'rate', op: 'rise', perMinute: 1, windowS: 60 } });
    const miss = rule({ condition: { type: 'missing', factor: 3 } });
    const { engine, feed, kinds } = setup([meta('w1', 'water_level', 1, 42), meta('w2', 'water_level', 1, 42), meta('f1', 'smoke', 1, 42, { min: 0, max: 100 })], [rate, miss], true);
    for (let i = 0; i <= 30; i++) feed('w1', T0 + i * S, 1 + i * 0.1);
    expect(kinds()).toEqual([`raise:${rate.id}:w1`]);
    engine.rearm(rate.id, 'w1');
    feed('w1', T0 + 31 * S, 4.1);
    feed('w1', T0 + 32 * S, 4.2);
    expect(kinds().filter((k) => k.startsWith('raise:' + rate.id))).toHaveLength(2);

    feed('w2', T0, 1);
    engine.sweep(T0 + 200 * S);
    engine.sweep(T0 + 210 * S);
    expect(kinds().filter((k) => k === `raise:${miss.id}:w2`)).toHaveLength(1);
    engine.rearm(miss.id, 'w2');
    engine.sweep(T0 + 220 * S);
    engine.sweep(T0 + 230 * S);
    expect(kinds().filter((k) => k === `raise:${miss.id}:w2`)).toHaveLength(2);

    // the echo detector scores value / 100: a run of 15 high scores raises it
    const before = kinds().length;
    for (let i = 0; i < 15; i++) feed('f1', T0 + (300 + i) * S, 99.9);
    expect(kinds().slice(before)).toEqual(['raise:detector:anomaly:f1']);
    engine.rearm('detector:anomaly', 'f1');
    feed('f1', T0 + 316 * S, 99.9);
    feed('f1', T0 + 317 * S, 99.9);
    expect(kinds().filter((k) => k === 'raise:detector:anomaly:f1')).toHaveLength(2);
  });

  it('raises a fault again while the sensor is still faulty', () => {
    const { engine, feed, kinds } = setup([meta('w1', 'water_level', 1, 42)], []);
    for (let i = 0; i < 20; i++) feed('w1', T0 + i * S, 1 + 0.01 * Math.sin(i));
    feed('w1', T0 + 20 * S, 40); // impossible jump
    expect(kinds()).toEqual(['raise:fault:jump:w1']);
    expect(engine.rearm('fault:jump', 'w1')).toBe(true);
    feed('w1', T0 + 21 * S, 40.1);
    feed('w1', T0 + 22 * S, 40.2);
    expect(kinds()).toEqual(['raise:fault:jump:w1', 'raise:fault:jump:w1']);
  });
});

describe('RiskEngine relative rules (below usual)', () => {
  const speed = (id: string, extra: Partial<SensorMeta> = {}) => meta(id, 'traffic', 1, 42, { metric: 'speed', min: 0, max: 200, thresholds: null, ...extra });
  const jam = () => rule({ scope: { kind: 'class', class: 'traffic', metric: 'speed' }, condition: { type: 'belowUsual', percent: 50, clearPercent: 70, forS: 20 } });

  it('fires on a fast and a slow road alike when speed falls under half its usual, and clears above 70 %', () => {
    const r = jam();
    const { feed, kinds, signals } = setup([speed('fast'), speed('slow')], [r]);
    for (let i = 0; i < 60; i++) {
      feed('fast', T0 + i * S, 80 + 2 * Math.sin(i));
      feed('slow', T0 + i * S, 25 + Math.sin(i));
    }
    expect(kinds()).toEqual([]);
    // a jam cuts both by 70 %: 24 km/h on the expressway (over any fixed "12 km/h" line), 7.5 on the street
    for (let i = 60; i < 90; i++) {
      feed('fast', T0 + i * S, 24 + Math.sin(i));
      feed('slow', T0 + i * S, 7.5 + 0.3 * Math.sin(i));
    }
    expect(kinds(), JSON.stringify(signals)).toEqual([`raise:${r.id}:fast`, `raise:${r.id}:slow`]);
    expect(signals[0]!.at).toBe(T0 + 80 * S); // after forS
    for (let i = 90; i < 95; i++) feed('fast', T0 + i * S, 50 + Math.sin(i)); // 62 %: still jammed
    expect(kinds()).toHaveLength(2);
    feed('fast', T0 + 95 * S, 60); // 75 % of usual: clear
    expect(kinds()).toEqual([`raise:${r.id}:fast`, `raise:${r.id}:slow`, `clear:${r.id}:fast`]);
  });

  it('stays quiet through slow drifts such as a rush hour, and before it knows the usual level', () => {
    const r = jam();
    const { feed, kinds, engine } = setup([speed('s')], [r]);
    feed('s', T0, 10); // the first readings cannot be judged: no usual level yet
    feed('s', T0 + S, 10);
    expect(engine.thresholdsFor('s')).toEqual([]);
    // free flow 60 km/h, then a rush hour taking it to 33 over 90 minutes, one reading a minute
    for (let m = 0; m < 300; m++) feed('s', T0 + (2 + m * 60) * S, (m < 120 ? 60 : m < 210 ? 60 - (27 * (m - 120)) / 90 : 33) * (1 + 0.05 * Math.sin(m)));
    expect(kinds()).toEqual([]);
    const th = engine.thresholdsFor('s');
    expect(th).toHaveLength(1);
    expect(th[0]).toMatchObject({ op: '<', ruleId: r.id });
    expect(th[0]!.value).toBeGreaterThan(15);
    expect(th[0]!.value).toBeLessThan(20);
  });

  it('keeps the usual level through a checkpoint', () => {
    const r = jam();
    const a = setup([speed('s')], [r]);
    for (let i = 0; i < 60; i++) a.feed('s', T0 + i * S, 50 + Math.sin(i));
    const saved = JSON.parse(JSON.stringify(a.engine.snapshot(true))) as ReturnType<typeof a.engine.snapshot>;
    const b = setup([speed('s')], [r]);
    b.engine.restore(saved);
    for (let i = 60; i < 81; i++) b.feed('s', T0 + i * S, 10 + Math.sin(i));
    expect(b.kinds()).toEqual([`raise:${r.id}:s`]);
  });

  it('carries the sensor department on its signals when the engine knows it', () => {
    const r = rule({ condition: { type: 'threshold', op: '>', value: 2 } });
    const { feed, signals } = setup([meta('w1', 'water_level', 1, 42, { department: 'water' }), meta('w2', 'water_level', 1, 42)], [r]);
    feed('w1', T0, 3);
    feed('w2', T0, 3);
    expect(signals.map((s) => s.department)).toEqual(['water', undefined]);
  });
});
