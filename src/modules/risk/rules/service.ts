/**
 * Rule use cases: list, read, create, edit (optimistic, by version), delete,
 * version history, the default set seeded once; every change is audited and
 * handed to the stream engine at once. Also the engine's read side for the API:
 * a sensor's health and the latest anomaly scores.
 */
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Actor, OrgDirectory } from '../../../platform/auth/types.js';
import type { Clock } from '../../../platform/clock.js';
import { badRequest, conflict, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { SensingService } from '../../sensing/types.js';
import type { RiskEngine, SensorHealth } from '../engine/engine.logic.js';
import type { Rule, RuleInput } from '../types.js';
import { DEFAULT_RULES } from './defaults.js';
import type { RuleVersion, RulesStore } from './store.js';
import { validateRule, type RuleLookups } from './validate.logic.js';

export interface RulesServiceDeps {
  store: RulesStore;
  engine: RiskEngine;
  audit: AuditLog;
  org: OrgDirectory;
  sensing: SensingService;
  clock: Clock;
  categories: ReadonlySet<string>;
}

const SYSTEM = 'system:risk';
const ruleNotFound = (id: string) => notFound('RULE_NOT_FOUND', `No rule ${id}; list them with GET /api/v1/rules`);
const actorName = (a: Actor) => (typeof a === 'string' ? a : a.id);

export function createRulesService(d: RulesServiceDeps) {
  /** Resolve what validation needs to know (the org unit is looked up once, before the pure check). */
  async function lookups(raw: unknown): Promise<RuleLookups> {
    const scope = (raw as { scope?: { orgUnitId?: unknown } } | null)?.scope;
    const unitId = typeof scope?.orgUnitId === 'string' ? scope.orgUnitId : null;
    const unitExists = unitId !== null && (await d.org.get(unitId)) !== null;
    return {
      sensor: (id) => d.sensing.sensor(id),
      orgUnit: (id) => unitExists && id === unitId,
      category: (code) => d.categories.has(code),
    };
  }

  async function reload(): Promise<void> {
    d.engine.setRules(await d.store.list());
  }

  async function get(id: string): Promise<Rule> {
    const r = await d.store.get(id);
    if (!r) throw ruleNotFound(id);
    return r;
  }

  async function create(raw: unknown, actor: Actor): Promise<Rule> {
    const input = validateRule(raw, await lookups(raw));
    const now = d.clock.now();
    const rule: Rule = { ...input, id: newId('rule'), version: 1, createdAt: now, updatedAt: now, updatedBy: actorName(actor) };
    await d.store.insert([rule]);
    await d.audit.append({ actor, action: 'risk.rule.create', targetType: 'risk_rule', targetId: rule.id, details: { version: 1, name: rule.name, rule: input } });
    await reload();
    return rule;
  }

  function expectedVersion(v: unknown): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw badRequest('VERSION_REQUIRED', 'Send "version": the version of the rule you read (GET /api/v1/rules/:id), so a concurrent edit is not overwritten');
    return v;
  }

  async function update(id: string, raw: unknown, actor: Actor): Promise<Rule> {
    const expected = expectedVersion((raw as { version?: unknown } | null)?.version);
    const current = await get(id);
    const input = validateRule(raw, await lookups(raw));
    if (current.version !== expected) throw stale(id, current.version, expected);
    const next: Rule = { ...input, id, version: expected + 1, createdAt: current.createdAt, updatedAt: d.clock.now(), updatedBy: actorName(actor) };
    if (!(await d.store.update(next, expected, 'update'))) {
      const now = await d.store.get(id);
      if (!now) throw ruleNotFound(id);
      throw stale(id, now.version, expected);
    }
    await d.audit.append({ actor, action: 'risk.rule.update', targetType: 'risk_rule', targetId: id, details: { version: next.version, from: expected, rule: input } });
    await reload();
    return next;
  }

  function stale(id: string, current: number, sent: number) {
    return conflict('RULE_VERSION_CONFLICT', `Rule ${id} is at version ${current} but you edited version ${sent}; reload it (GET /api/v1/rules/${id}) and apply your change again`, { current, sent });
  }

  async function remove(id: string, actor: Actor, version?: number): Promise<void> {
    const current = await get(id);
    const expected = version ?? current.version;
    if (current.version !== expected) throw stale(id, current.version, expected);
    const next: Rule = { ...current, enabled: false, version: expected + 1, updatedAt: d.clock.now(), updatedBy: actorName(actor) };
    if (!(await d.store.update(next, expected, 'delete'))) {
      const now = await d.store.get(id);
      if (!now) throw ruleNotFound(id);
      throw stale(id, now.version, expected);
    }
    await d.audit.append({ actor, action: 'risk.rule.delete', targetType: 'risk_rule', targetId: id, details: { version: next.version, name: current.name } });
    await reload();
  }

  async function versions(id: string): Promise<RuleVersion[]> {
    if (!(await d.store.known(id))) throw ruleNotFound(id);
    return d.store.versions(id);
  }

  /** Seed the default rules when the table is empty (first start); returns how many were added. */
  async function seedDefaults(rules: readonly RuleInput[] = DEFAULT_RULES): Promise<number> {
    if ((await d.store.count()) > 0) return 0;
    const now = d.clock.now();
    const all: Rule[] = rules.map((input) => ({ ...validateRule(input, { sensor: () => undefined, orgUnit: () => false, category: (c) => d.categories.has(c) }), id: newId('rule'), version: 1, createdAt: now, updatedAt: now, updatedBy: SYSTEM }));
    await d.store.insert(all);
    await d.audit.append({ actor: SYSTEM, action: 'risk.rule.seed', targetType: 'risk_rule', details: { count: all.length, ids: all.map((r) => r.id) } });
    return all.length;
  }

  function health(sensorId: string): SensorHealth {
    if (!d.sensing.sensor(sensorId)) throw notFound('SENSOR_NOT_FOUND', `No sensor ${sensorId}; list them with GET /api/v1/sensors`);
    return d.engine.health(sensorId) ?? {
      sensorId, faulty: null, faultySince: null, score: null, scoreAt: null, lastSeen: null, lastReadingAt: null, lastValue: null, activeRules: [], detectorAlarm: false,
    };
  }

  /** The highest latest anomaly scores, highest first. */
  function anomalies(limit: number, minScore = 0): Array<{ sensorId: string; score: number; at: number }> {
    return [...d.engine.anomalyScores()].filter(([, s]) => s.score >= minScore)
      .map(([sensorId, s]) => ({ sensorId, score: s.score, at: s.at }))
      .sort((a, b) => b.score - a.score || a.sensorId.localeCompare(b.sensorId)).slice(0, limit);
  }

  /**
   * The city-event category of a rule as it stood at `version` (the latest version when that one is
   * gone), or null when it opens no event or is no rule (detector, fault, forecast alarms).
   */
  async function eventCategory(ruleId: string, version: number): Promise<string | null> {
    if (!(await d.store.known(ruleId))) return null;
    const all = await d.store.versions(ruleId);
    const v = all.find((x) => x.version === version) ?? all[0];
    return v?.rule.openEvent?.category ?? null;
  }

  return { list: () => d.store.list(), get, create, update, remove, versions, seedDefaults, reload, health, anomalies, eventCategory };
}

export type RuleCrud = ReturnType<typeof createRulesService>;
