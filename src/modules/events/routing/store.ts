/**
 * SQL of routing and the learning loop: the routing rules table and the
 * dispatchers' corrections kept as classifier labels.
 */
import type { Kysely } from 'kysely';
import { bigintType, type Database, type Migration } from '../../../platform/db/index.js';
import type { RoutingRule } from './routing.logic.js';

type RuleRow = { id: string; priority: number; category: string | null; org_unit_id: string | null; department: string; created_at: number; created_by: string }
type LabelRow = { id: string; event_id: string; text: string; category: string; department: string | null; urgent: number; corrected_by: string; at: number }
type Tables = { events_routing_rules: RuleRow; events_classifier_labels: LabelRow }

export interface StoredRule extends RoutingRule { createdAt: number; createdBy: string }
export interface ClassifierLabel { id: string; eventId: string; text: string; category: string; department: string | null; urgent: boolean; correctedBy: string; at: number }

export const routingMigrations: Migration[] = [
  {
    name: 'events_routing_001_rules_labels',
    async up(db, dialect) {
      const big = bigintType(dialect);
      await db.schema.createTable('events_routing_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('org_unit_id', 'text')
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('events_classifier_labels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('urgent', 'integer', (c) => c.notNull())
        .addColumn('corrected_by', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_classifier_labels_event').on('events_classifier_labels').column('event_id').execute();
    },
  },
];

const ruleOf = (r: RuleRow): StoredRule => ({
  id: r.id, priority: r.priority, category: r.category, orgUnitId: r.org_unit_id, department: r.department, createdAt: Number(r.created_at), createdBy: r.created_by,
});

export function createRoutingStore(database: Database) {
  const db = database.db.withTables<Tables>() as unknown as Kysely<Tables>;
  return {
    /** In evaluation order: priority, then oldest first. */
    async rules(): Promise<StoredRule[]> {
      const rows = await db.selectFrom('events_routing_rules').selectAll().orderBy('priority').orderBy('created_at').orderBy('id').execute();
      return rows.map(ruleOf);
    },
    async insertRule(r: StoredRule): Promise<void> {
      await db.insertInto('events_routing_rules').values({
        id: r.id, priority: r.priority, category: r.category, org_unit_id: r.orgUnitId, department: r.department, created_at: r.createdAt, created_by: r.createdBy,
      }).execute();
    },
    async deleteRule(id: string): Promise<boolean> {
      const res = await db.deleteFrom('events_routing_rules').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async insertLabel(l: ClassifierLabel): Promise<void> {
      await db.insertInto('events_classifier_labels').values({
        id: l.id, event_id: l.eventId, text: l.text, category: l.category, department: l.department, urgent: l.urgent ? 1 : 0, corrected_by: l.correctedBy, at: l.at,
      }).execute();
    },
    async labels(eventId?: string): Promise<ClassifierLabel[]> {
      let q = db.selectFrom('events_classifier_labels').selectAll();
      if (eventId !== undefined) q = q.where('event_id', '=', eventId);
      const rows = await q.orderBy('at').orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id, eventId: r.event_id, text: r.text, category: r.category, department: r.department, urgent: r.urgent === 1, correctedBy: r.corrected_by, at: Number(r.at),
      }));
    },
  };
}

export type RoutingStore = ReturnType<typeof createRoutingStore>;
