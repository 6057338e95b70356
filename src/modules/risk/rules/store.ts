/**
 * All SQL of the rules part: rules (current version), every version ever
 * written (alarms name the rule version that raised them), and the stream
 * engine's checkpoints (one row per sensor). Edits are optimistic: an update
 * names the version it read and fails when someone else wrote in between.
 */
import type { Kysely } from 'kysely';
import { bigintType, type Database, type Migration } from '../../../platform/db/index.js';
import type { Rule, RuleInput } from '../types.js';

type RuleRow = { id: string; version: number; body: string; deleted_at: number | null; created_at: number; updated_at: number; updated_by: string };
type VersionRow = { rule_id: string; version: number; body: string; change: string; at: number; by: string };
type StateRow = { sensor_id: string; state: string; at: number };
type Tables = { risk_rules: RuleRow; risk_rule_versions: VersionRow; risk_sensor_state: StateRow };

export const migrations: Migration[] = [
  {
    name: 'risk_rules_001_rules',
    async up(db, dialect) {
      const big = bigintType(dialect);
      await db.schema.createTable('risk_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('deleted_at', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('risk_rule_versions')
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_rule_versions_pk', ['rule_id', 'version'])
        .execute();
      await db.schema.createTable('risk_sensor_state')
        .addColumn('sensor_id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .execute();
    },
  },
];

export type RuleChange = 'create' | 'update' | 'delete';

export interface RuleVersion {
  ruleId: string;
  version: number;
  change: RuleChange;
  at: number;
  by: string;
  rule: RuleInput;
}

const toRule = (r: RuleRow): Rule => ({
  ...(JSON.parse(r.body) as RuleInput), id: r.id, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at, updatedBy: r.updated_by,
});

const bodyOf = (r: RuleInput): string => JSON.stringify({
  name: r.name, messageZh: r.messageZh, messageEn: r.messageEn, scope: r.scope, condition: r.condition, severity: r.severity, openEvent: r.openEvent, enabled: r.enabled,
});

/** Rows per statement for checkpoints: 3 columns, well under both dialects' bound-parameter limits. */
const STATE_CHUNK = 500;

export function createRulesStore(database: Database) {
  const db = database.db.withTables<Tables>() as unknown as Kysely<Tables>;
  return {
    async list(includeDeleted = false): Promise<Rule[]> {
      let q = db.selectFrom('risk_rules').selectAll();
      if (!includeDeleted) q = q.where('deleted_at', 'is', null);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(toRule);
    },
    async get(id: string): Promise<Rule | null> {
      const r = await db.selectFrom('risk_rules').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      return r ? toRule(r) : null;
    },
    /** True when the rule exists, deleted or not (its versions stay readable). */
    async known(id: string): Promise<boolean> {
      return !!(await db.selectFrom('risk_rules').select('id').where('id', '=', id).executeTakeFirst());
    },
    async count(): Promise<number> {
      const r = await db.selectFrom('risk_rules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Inserts new rules (version 1) and their first version rows in one transaction. */
    async insert(rules: Rule[]): Promise<void> {
      if (!rules.length) return;
      await db.transaction().execute(async (trx) => {
        for (const r of rules) {
          await trx.insertInto('risk_rules').values({ id: r.id, version: r.version, body: bodyOf(r), deleted_at: null, created_at: r.createdAt, updated_at: r.updatedAt, updated_by: r.updatedBy }).execute();
          await trx.insertInto('risk_rule_versions').values({ rule_id: r.id, version: r.version, body: bodyOf(r), change: 'create', at: r.updatedAt, by: r.updatedBy }).execute();
        }
      });
    },
    /**
     * Writes version `next.version` if the stored one is still `expected`; false
     * when it moved on (or the rule is gone), and nothing is written.
     */
    async update(next: Rule, expected: number, change: Exclude<RuleChange, 'create'>): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const r = await trx.updateTable('risk_rules')
          .set({ version: next.version, body: bodyOf(next), updated_at: next.updatedAt, updated_by: next.updatedBy, ...(change === 'delete' ? { deleted_at: next.updatedAt } : {}) })
          .where('id', '=', next.id).where('version', '=', expected).where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await trx.insertInto('risk_rule_versions').values({ rule_id: next.id, version: next.version, body: bodyOf(next), change, at: next.updatedAt, by: next.updatedBy }).execute();
        return true;
      });
    },
    async versions(id: string): Promise<RuleVersion[]> {
      const rows = await db.selectFrom('risk_rule_versions').selectAll().where('rule_id', '=', id).orderBy('version', 'desc').execute();
      return rows.map((r) => ({ ruleId: r.rule_id, version: r.version, change: r.change as RuleChange, at: r.at, by: r.by, rule: JSON.parse(r.body) as RuleInput }));
    },

    /** Upserts engine checkpoints (state already as JSON text), chunked, in one transaction. */
    async saveStates(states: Array<{ sensorId: string; json: string }>, at: number): Promise<void> {
      if (!states.length) return;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < states.length; i += STATE_CHUNK) {
          const rows = states.slice(i, i + STATE_CHUNK).map((s) => ({ sensor_id: s.sensorId, state: s.json, at }));
          await trx.insertInto('risk_sensor_state').values(rows)
            .onConflict((oc) => oc.column('sensor_id').doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), at: eb.ref('excluded.at') })))
            .execute();
        }
      });
    },
    async loadStates(): Promise<Array<{ sensorId: string; state: unknown }>> {
      const rows = await db.selectFrom('risk_sensor_state').select(['sensor_id', 'state']).execute();
      const out: Array<{ sensorId: string; state: unknown }> = [];
      for (const r of rows) {
        try {
          out.push({ sensorId: r.sensor_id, state: JSON.parse(r.state) as unknown });
        } catch {
          // A torn or foreign row: that sensor starts fresh rather than the engine refusing to start.
        }
      }
      return out;
    },
  };
}

export type RulesStore = ReturnType<typeof createRulesStore>;
