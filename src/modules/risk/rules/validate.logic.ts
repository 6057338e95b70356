/**
 * Checks an untrusted rule (API body, seed file) and returns a clean RuleInput,
 * or throws one 400 that lists every problem and says how to fix it. Pure: the
 * caller passes what it knows about sensors, org units and event categories.
 */
import { badRequest } from '../../../platform/errors.js';
import { metricsOf } from '../../sensing/classes.js';
import { SENSOR_CLASSES, type SensorClass } from '../../sensing/types.js';
import { SEVERITIES, type CompoundPart, type RuleCondition, type RuleInput, type RuleScope, type Severity, type ThresholdValue } from '../types.js';

export interface RuleLookups {
  /** The sensor's class and thresholds, or undefined when there is no such sensor. */
  sensor(id: string): { class: SensorClass; thresholds: { warn?: number; alarm?: number } | null } | undefined;
  /** True when the org unit exists (the caller resolves it before validating). */
  orgUnit(id: string): boolean;
  /** True when the city-event category code exists. */
  category(code: string): boolean;
}

interface Problem {
  code: string;
  field: string;
  message: string;
}

const MAX_WINDOW_S = 7 * 86_400;
const MAX_WITHIN_M = 50_000;
const MAX_PARTS = 6;
const OPS = ['>', '<'] as const;
const RATE_OPS = ['rise', 'fall', 'any'] as const;
const MEASURES = ['last', 'sum', 'rise'] as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Validate a whole rule; throws badRequest (code of the first problem) listing all problems. */
export function validateRule(raw: unknown, look: RuleLookups): RuleInput {
  const problems: Problem[] = [];
  const bad = (code: string, field: string, message: string) => void problems.push({ code, field, message: `${field}: ${message}` });
  if (!isObj(raw)) throw badRequest('BAD_RULE', 'Send the rule as a JSON object with name, scope, condition, severity (and optionally messageZh, messageEn, openEvent, enabled)');

  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!name || name.length > 200) bad('BAD_RULE', 'name', 'give a name of 1 to 200 characters');
  const text = (field: 'messageZh' | 'messageEn'): string | undefined => {
    const v = raw[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.length > 500) bad('BAD_RULE', field, 'must be a text of at most 500 characters ({value} and {sensor} are filled in)');
    return typeof v === 'string' ? v : undefined;
  };
  const messageZh = text('messageZh');
  const messageEn = text('messageEn');

  const scope = checkScope(raw.scope, look, bad);
  const condition = checkCondition(raw.condition, scope, look, bad);

  const severity = raw.severity;
  if (!oneOf(SEVERITIES, severity)) bad('BAD_SEVERITY', 'severity', `must be one of ${SEVERITIES.join(', ')}; got ${show(severity)}`);

  let openEvent: RuleInput['openEvent'] = null;
  if (raw.openEvent !== undefined && raw.openEvent !== null) {
    const o = raw.openEvent;
    if (!isObj(o)) bad('BAD_RULE', 'openEvent', 'give {minSeverity, category} or null (never open a city event)');
    else {
      if (!oneOf(SEVERITIES, o.minSeverity)) bad('BAD_SEVERITY', 'openEvent.minSeverity', `must be one of ${SEVERITIES.join(', ')}; got ${show(o.minSeverity)}`);
      if (typeof o.category !== 'string' || !look.category(o.category)) bad('UNKNOWN_CATEGORY', 'openEvent.category', `unknown city-event category ${show(o.category)}; use a code from the taxonomy such as WATERLOGGING, FIRE_HAZARD`);
      if (oneOf(SEVERITIES, o.minSeverity) && typeof o.category === 'string') openEvent = { minSeverity: o.minSeverity, category: o.category };
    }
  }

  let enabled = true;
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') bad('BAD_RULE', 'enabled', `must be true or false; got ${show(raw.enabled)}`);
    else enabled = raw.enabled;
  }

  if (problems.length || !scope || !condition) {
    const first = problems[0] ?? { code: 'BAD_RULE', message: 'the rule is incomplete' };
    throw badRequest(first.code, problems.map((p) => p.message).join('; ') || first.message, { problems });
  }
  return {
    name,
    ...(messageZh !== undefined ? { messageZh } : {}),
    ...(messageEn !== undefined ? { messageEn } : {}),
    scope,
    condition,
    severity: severity as Severity,
    openEvent,
    enabled,
  };
}

type Bad = (code: string, field: string, message: string) => void;

function checkClass(v: unknown, field: string, bad: Bad): SensorClass | undefined {
  if (oneOf(SENSOR_CLASSES, v)) return v;
  bad('UNKNOWN_CLASS', field, `unknown sensor class ${show(v)}; use one of ${SENSOR_CLASSES.join(', ')}`);
  return undefined;
}

/** An optional metric of a class: undefined (all metrics), a valid one, or a problem. */
function checkMetric(c: SensorClass | undefined, v: unknown, field: string, bad: Bad): { metric?: string } {
  if (v === undefined || v === null || !c) return {};
  const known = metricsOf(c).map((m) => m.metric);
  if (typeof v === 'string' && known.includes(v)) return { metric: v };
  bad('UNKNOWN_METRIC', field, `class ${c} has the metrics ${known.join(', ')}; got ${show(v)}`);
  return {};
}

function checkScope(v: unknown, look: RuleLookups, bad: Bad): RuleScope | undefined {
  if (!isObj(v)) {
    bad('BAD_SCOPE', 'scope', 'give {kind:"class", class}, {kind:"sensor", sensorId} or {kind:"area", orgUnitId, class}');
    return undefined;
  }
  switch (v.kind) {
    case 'class': {
      const c = checkClass(v.class, 'scope.class', bad);
      const m = checkMetric(c, v.metric, 'scope.metric', bad);
      return c && { kind: 'class', class: c, ...m };
    }
    case 'sensor': {
      if (typeof v.sensorId !== 'string' || !look.sensor(v.sensorId)) {
        bad('UNKNOWN_SENSOR', 'scope.sensorId', `no sensor ${show(v.sensorId)}; register it first or pick one from GET /api/v1/sensors`);
        return undefined;
      }
      return { kind: 'sensor', sensorId: v.sensorId };
    }
    case 'area': {
      const c = checkClass(v.class, 'scope.class', bad);
      if (typeof v.orgUnitId !== 'string' || !look.orgUnit(v.orgUnitId)) {
        bad('UNKNOWN_ORG_UNIT', 'scope.orgUnitId', `no org unit ${show(v.orgUnitId)}; pick one from GET /api/v1/org/units`);
        return undefined;
      }
      return c && { kind: 'area', orgUnitId: v.orgUnitId, class: c, ...checkMetric(c, v.metric, 'scope.metric', bad) };
    }
    default:
      bad('BAD_SCOPE', 'scope.kind', `must be class, sensor or area; got ${show(v.kind)}`);
      return undefined;
  }
}

function checkWindow(v: unknown, field: string, bad: Bad, required: boolean): number | undefined {
  if (v === undefined && !required) return undefined;
  if (!isNum(v) || v <= 0 || v > MAX_WINDOW_S) {
    bad('BAD_WINDOW', field, `give a number of seconds above 0 and at most ${MAX_WINDOW_S} (7 days); got ${show(v)}`);
    return undefined;
  }
  return v;
}

function checkCondition(v: unknown, scope: RuleScope | undefined, look: RuleLookups, bad: Bad): RuleCondition | undefined {
  if (!isObj(v)) {
    bad('BAD_CONDITION', 'condition', 'give {type: "threshold" | "rate" | "missing" | "belowUsual" | "compound", …}');
    return undefined;
  }
  switch (v.type) {
    case 'threshold': return checkThreshold(v, scope, look, bad);
    case 'rate': {
      const op = v.op;
      if (!oneOf(RATE_OPS, op)) bad('BAD_OP', 'condition.op', `a rate rule's op must be rise, fall or any; got ${show(op)}`);
      if (!isNum(v.perMinute) || v.perMinute <= 0) bad('MISSING_THRESHOLD', 'condition.perMinute', `give the change per minute that raises the alarm, a number above 0; got ${show(v.perMinute)}`);
      const windowS = checkWindow(v.windowS, 'condition.windowS', bad, true);
      if (!oneOf(RATE_OPS, op) || !isNum(v.perMinute) || v.perMinute <= 0 || windowS === undefined) return undefined;
      return { type: 'rate', op, perMinute: v.perMinute, windowS };
    }
    case 'missing': {
      if (!isNum(v.factor) || v.factor < 1 || v.factor > 1000) {
        bad('BAD_FACTOR', 'condition.factor', `give how many expected intervals of silence raise the alarm, 1 to 1000; got ${show(v.factor)}`);
        return undefined;
      }
      return { type: 'missing', factor: v.factor };
    }
    case 'belowUsual': return checkBelowUsual(v, bad);
    case 'compound': return checkCompound(v, bad);
    default:
      bad('BAD_CONDITION', 'condition.type', `must be threshold, rate, missing, belowUsual or compound; got ${show(v.type)}`);
      return undefined;
  }
}

function checkThreshold(v: Record<string, unknown>, scope: RuleScope | undefined, look: RuleLookups, bad: Bad): RuleCondition | undefined {
  const op = v.op;
  if (!oneOf(OPS, op)) bad('BAD_OP', 'condition.op', `a threshold's op must be ">" or "<"; got ${show(op)}`);
  const value = v.value;
  const fromSensor = value === 'sensor.warn' || value === 'sensor.alarm';
  if (!isNum(value) && !fromSensor) {
    bad('MISSING_THRESHOLD', 'condition.value', `give the threshold as a number, or "sensor.warn" / "sensor.alarm" to use each sensor's own; got ${show(value)}`);
  }
  if (fromSensor && scope?.kind === 'sensor') {
    const which = value === 'sensor.warn' ? 'warn' : 'alarm';
    if (look.sensor(scope.sensorId)?.thresholds?.[which] === undefined) bad('MISSING_THRESHOLD', 'condition.value', `sensor ${scope.sensorId} has no ${which} threshold; give a number or set the sensor's thresholds`);
  }
  let clear: number | undefined;
  if (v.clear !== undefined) {
    if (!isNum(v.clear)) bad('BAD_CLEAR', 'condition.clear', `must be a number; got ${show(v.clear)}`);
    else if (fromSensor) bad('BAD_CLEAR', 'condition.clear', `give clear only with a numeric value; with ${String(value)} the alarm clears 5 % inside each sensor's own threshold`);
    else if (isNum(value) && oneOf(OPS, op) && (op === '>' ? v.clear > value : v.clear < value)) {
      bad('BAD_CLEAR', 'condition.clear', `with op "${op}" the clear level must be ${op === '>' ? 'at or below' : 'at or above'} the value ${value} (hysteresis); got ${v.clear}`);
    } else clear = v.clear;
  }
  let forS: number | undefined;
  if (v.forS !== undefined) {
    if (!isNum(v.forS) || v.forS < 0 || v.forS > MAX_WINDOW_S) bad('BAD_WINDOW', 'condition.forS', `give how long the value must hold, 0 to ${MAX_WINDOW_S} seconds; got ${show(v.forS)}`);
    else forS = v.forS;
  }
  if (!oneOf(OPS, op) || (!isNum(value) && !fromSensor)) return undefined;
  return { type: 'threshold', op, value: value as ThresholdValue, ...(clear !== undefined ? { clear } : {}), ...(forS !== undefined ? { forS } : {}) };
}

/** The usual level is learned over at least a minute: shorter, and it would follow the very drop it should reveal. */
const MIN_LEARN_S = 60;

function checkBelowUsual(v: Record<string, unknown>, bad: Bad): RuleCondition | undefined {
  const percent = v.percent;
  const okPercent = isNum(percent) && percent > 0 && percent < 100;
  if (!okPercent) bad('BAD_PERCENT', 'condition.percent', `give the share of the sensor's usual level below which the alarm rises, a number of percent above 0 and below 100 (e.g. 50); got ${show(percent)}`);
  let clearPercent: number | undefined;
  if (v.clearPercent !== undefined) {
    if (!isNum(v.clearPercent) || v.clearPercent > 100 || (okPercent && v.clearPercent < percent)) {
      bad('BAD_CLEAR', 'condition.clearPercent', `give the share of usual at which the alarm clears, from percent (${okPercent ? percent : '…'}) to 100 (hysteresis); got ${show(v.clearPercent)}`);
    } else clearPercent = v.clearPercent;
  }
  let forS: number | undefined;
  if (v.forS !== undefined) {
    if (!isNum(v.forS) || v.forS < 0 || v.forS > MAX_WINDOW_S) bad('BAD_WINDOW', 'condition.forS', `give how long the value must stay low, 0 to ${MAX_WINDOW_S} seconds; got ${show(v.forS)}`);
    else forS = v.forS;
  }
  let learnS: number | undefined;
  if (v.learnS !== undefined) {
    if (!isNum(v.learnS) || v.learnS < MIN_LEARN_S || v.learnS > MAX_WINDOW_S) {
      bad('BAD_WINDOW', 'condition.learnS', `give the time constant of the usual level, ${MIN_LEARN_S} to ${MAX_WINDOW_S} seconds (default 1800); got ${show(v.learnS)}`);
    } else learnS = v.learnS;
  }
  if (!okPercent) return undefined;
  return {
    type: 'belowUsual', percent,
    ...(clearPercent !== undefined ? { clearPercent } : {}), ...(forS !== undefined ? { forS } : {}), ...(learnS !== undefined ? { learnS } : {}),
  };
}

function checkCompound(v: Record<string, unknown>, bad: Bad): RuleCondition | undefined {
  const withinM = v.withinM;
  if (!isNum(withinM) || withinM <= 0 || withinM > MAX_WITHIN_M) bad('BAD_RADIUS', 'condition.withinM', `give the neighbourhood radius in metres, above 0 and at most ${MAX_WITHIN_M}; got ${show(withinM)}`);
  if (!Array.isArray(v.all) || v.all.length === 0) {
    bad('EMPTY_COMPOUND', 'condition.all', 'a compound rule needs at least one part {class, measure, windowS?, op, value}');
    return undefined;
  }
  if (v.all.length > MAX_PARTS) bad('BAD_CONDITION', 'condition.all', `at most ${MAX_PARTS} parts; got ${v.all.length}`);
  const parts: CompoundPart[] = [];
  v.all.forEach((p: unknown, i: number) => {
    const f = `condition.all[${i}]`;
    if (!isObj(p)) {
      bad('BAD_CONDITION', f, 'each part is {class, measure: "last" | "sum" | "rise", windowS?, op, value}');
      return;
    }
    const c = checkClass(p.class, `${f}.class`, bad);
    const m = checkMetric(c, p.metric, `${f}.metric`, bad);
    if (!oneOf(MEASURES, p.measure)) bad('BAD_MEASURE', `${f}.measure`, `must be last, sum or rise; got ${show(p.measure)}`);
    const windowS = checkWindow(p.windowS, `${f}.windowS`, bad, p.measure === 'sum' || p.measure === 'rise');
    if (!oneOf(OPS, p.op)) bad('BAD_OP', `${f}.op`, `must be ">" or "<"; got ${show(p.op)}`);
    if (!isNum(p.value)) bad('MISSING_THRESHOLD', `${f}.value`, `give the part's threshold as a number; got ${show(p.value)}`);
    if (c && oneOf(MEASURES, p.measure) && oneOf(OPS, p.op) && isNum(p.value) && (p.measure === 'last' || windowS !== undefined)) {
      parts.push({ class: c, ...m, measure: p.measure, ...(windowS !== undefined ? { windowS } : {}), op: p.op, value: p.value });
    }
  });
  if (!isNum(withinM) || withinM <= 0 || withinM > MAX_WITHIN_M || parts.length !== v.all.length) return undefined;
  return { type: 'compound', withinM, all: parts };
}
