/**
 * All SQL of alarms and alarm incidents. The signal path writes whole
 * batches with one multi-row upsert per table in one transaction; operator
 * actions update one alarm guarded by the version they read (409 if stale).
 */
import type { Kysely } from 'kysely';
import { bigintType, doubleType, type Database, type Migration } from '../../../platform/db/index.js';
import { conflict } from '../../../platform/errors.js';
import type { SensorClass } from '../../sensing/types.js';
import type { Alarm, AlarmIncident, AlarmNote, AlarmState, Severity, SignalSource } from '../types.js';

type AlarmRow = {
  id: string; state: string; severity: string; source: string; rule_id: string; rule_version: number; source_id: string;
  sensor_class: string | null; message_zh: string; message_en: string; lon: number | null; lat: number | null; org_path: string | null;
  department: string | null; raised_at: number; last_at: number; count: number; last_value: number | null;
  acknowledged_at: number | null; acknowledged_by: string | null; cleared_at: number | null; cleared_by: string | null;
  incident_id: string | null; event_id: string | null; event_requested_at: number | null; notes: string; version: number;
}
type IncidentRow = {
  id: string; org_path: string; opened_at: number; last_at: number; members: number; active_members: number; severity: string; closed_at: number | null;
}
type Tables = { risk_alarms: AlarmRow; risk_alarm_incidents: IncidentRow }

export const alarmMigrations: Migration[] = [
  {
    name: 'risk_alarms_001_alarms',
    async up(db, dialect) {
      const big = bigintType(dialect);
      const dbl = doubleType(dialect);
      await db.schema.createTable('risk_alarms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('rule_version', 'integer', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('sensor_class', 'text')
        .addColumn('message_zh', 'text', (c) => c.notNull())
        .addColumn('message_en', 'text', (c) => c.notNull())
        .addColumn('lon', dbl).addColumn('lat', dbl)
        .addColumn('org_path', 'text').addColumn('department', 'text')
        .addColumn('raised_at', big, (c) => c.notNull())
        .addColumn('last_at', big, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('last_value', dbl)
        .addColumn('acknowledged_at', big).addColumn('acknowledged_by', 'text')
        .addColumn('cleared_at', big).addColumn('cleared_by', 'text')
        .addColumn('incident_id', 'text').addColumn('event_id', 'text').addColumn('event_requested_at', big)
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('risk_alarms_raised').on('risk_alarms').columns(['raised_at', 'id']).execute();
      await db.schema.createIndex('risk_alarms_state').on('risk_alarms').columns(['state', 'raised_at']).execute();
      await db.schema.createIndex('risk_alarms_source').on('risk_alarms').columns(['source_id', 'raised_at']).execute();
      await db.schema.createIndex('risk_alarms_rule').on('risk_alarms').columns(['rule_id', 'raised_at']).execute();
      await db.schema.createIndex('risk_alarms_path').on('risk_alarms').column('org_path').execute();
      await db.schema.createIndex('risk_alarms_incident').on('risk_alarms').column('incident_id').execute();
      await db.schema.createIndex('risk_alarms_event').on('risk_alarms').column('event_id').execute();
      await db.schema.createTable('risk_alarm_incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_path', 'text', (c) => c.notNull())
        .addColumn('opened_at', big, (c) => c.notNull())
        .addColumn('last_at', big, (c) => c.notNull())
        .addColumn('members', 'integer', (c) => c.notNull())
        .addColumn('active_members', 'integer', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('closed_at', big)
        .execute();
      await db.schema.createIndex('risk_alarm_incidents_open').on('risk_alarm_incidents').columns(['closed_at', 'opened_at']).execute();
    },
  },
];

export interface AlarmFilter {
  states?: AlarmState[];
  severities?: Severity[];
  orgPathPrefix?: string;
  sourceId?: string;
  ruleId?: string;
  incidentId?: string;
  /** Leave out members of open incidents (the incident stands for them). */
  collapseIncidents?: string[];
  since?: number;
  limit: number;
  offset: number;
}

function toRow(a: Alarm): AlarmRow {
  return {
    id: a.id, state: a.state, severity: a.severity, source: a.source, rule_id: a.ruleId, rule_version: a.ruleVersion, source_id: a.sourceId,
    sensor_class: a.sensorClass, message_zh: a.messageZh, message_en: a.messageEn, lon: a.location?.coordinates[0] ?? null,
    lat: a.location?.coordinates[1] ?? null, org_path: a.orgPath, department: a.department, raised_at: a.raisedAt, last_at: a.lastAt,
    count: a.count, last_value: a.lastValue, acknowledged_at: a.acknowledgedAt, acknowledged_by: a.acknowledgedBy, cleared_at: a.clearedAt,
    cleared_by: a.clearedBy, incident_id: a.incidentId, event_id: a.eventId, event_requested_at: a.eventRequestedAt,
    notes: JSON.stringify(a.notes), version: a.version,
  };
}

function fromRow(r: AlarmRow): Alarm {
  return {
    id: r.id, state: r.state as AlarmState, severity: r.severity as Severity, source: r.source as SignalSource, ruleId: r.rule_id,
    ruleVersion: r.rule_version, sourceId: r.source_id, sensorClass: r.sensor_class as SensorClass | null, messageZh: r.message_zh,
    messageEn: r.message_en, location: r.lon !== null && r.lat !== null ? { type: 'Point', coordinates: [r.lon, r.lat] } : null,
    orgPath: r.org_path, department: r.department, raisedAt: r.raised_at, lastAt: r.last_at, count: r.count, lastValue: r.last_value,
    acknowledgedAt: r.acknowledged_at, acknowledgedBy: r.acknowledged_by, clearedAt: r.cleared_at, clearedBy: r.cleared_by,
    incidentId: r.incident_id, eventId: r.event_id, eventRequestedAt: r.event_requested_at, notes: JSON.parse(r.notes) as AlarmNote[], version: r.version,
  };
}

const incidentRow = (i: AlarmIncident): IncidentRow => ({
  id: i.id, org_path: i.orgPath, opened_at: i.openedAt, last_at: i.lastAt, members: i.members, active_members: i.activeMembers, severity: i.severity, closed_at: i.closedAt,
});
const fromIncidentRow = (r: IncidentRow): AlarmIncident => ({
  id: r.id, orgPath: r.org_path, openedAt: r.opened_at, lastAt: r.last_at, members: r.members, activeMembers: r.active_members, severity: r.severity as Severity, closedAt: r.closed_at,
});

/** Rows per multi-row statement: well under SQLite's 32,766 bound parameters at 27 columns. */
const CHUNK = 500;

export function createAlarmStore(database: Database) {
  const db = database.db.withTables<Tables>() as unknown as Kysely<Tables>;

  return {
    /** Write every changed alarm and incident of one batch in one transaction. */
    async writeBatch(alarms: Alarm[], incidents: AlarmIncident[]): Promise<void> {
      if (!alarms.length && !incidents.length) return;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < alarms.length; i += CHUNK) {
          await trx.insertInto('risk_alarms').values(alarms.slice(i, i + CHUNK).map(toRow))
            .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
              state: eb.ref('excluded.state'), severity: eb.ref('excluded.severity'), rule_version: eb.ref('excluded.rule_version'),
              message_zh: eb.ref('excluded.message_zh'), message_en: eb.ref('excluded.message_en'), last_at: eb.ref('excluded.last_at'),
              count: eb.ref('excluded.count'), last_value: eb.ref('excluded.last_value'), acknowledged_at: eb.ref('excluded.acknowledged_at'),
              acknowledged_by: eb.ref('excluded.acknowledged_by'), cleared_at: eb.ref('excluded.cleared_at'), cleared_by: eb.ref('excluded.cleared_by'),
              incident_id: eb.ref('excluded.incident_id'), event_id: eb.ref('excluded.event_id'), event_requested_at: eb.ref('excluded.event_requested_at'),
              notes: eb.ref('excluded.notes'), version: eb.ref('excluded.version'),
            }))).execute();
        }
        if (incidents.length) {
          await trx.insertInto('risk_alarm_incidents').values(incidents.map(incidentRow))
            .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
              last_at: eb.ref('excluded.last_at'), members: eb.ref('excluded.members'), active_members: eb.ref('excluded.active_members'),
              severity: eb.ref('excluded.severity'), closed_at: eb.ref('excluded.closed_at'),
            }))).execute();
        }
      });
    },

    /** Write one alarm (and its incident) only if nobody changed it since `expectedVersion` was read. */
    async update(a: Alarm, expectedVersion: number, incident?: AlarmIncident): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const { id, ...rest } = toRow(a);
        const res = await trx.updateTable('risk_alarms').set(rest).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) {
          throw conflict('VERSION_CONFLICT', `Alarm ${a.id} was changed by someone else since version ${expectedVersion}; reload it and try again`);
        }
        if (incident) {
          const { id: iid, ...irest } = incidentRow(incident);
          await trx.updateTable('risk_alarm_incidents').set(irest).where('id', '=', iid).execute();
        }
      });
    },

    async get(id: string): Promise<Alarm | null> {
      const r = await db.selectFrom('risk_alarms').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? fromRow(r) : null;
    },

    async byEventId(eventId: string): Promise<Alarm[]> {
      return (await db.selectFrom('risk_alarms').selectAll().where('event_id', '=', eventId).execute()).map(fromRow);
    },

    /**
     * Alarms that asked for a city event between `from` and `to` (event_requested_at) and never heard
     * back (no event id): start-up re-requests them. A scan of the event-less rows only, bounded by age.
     */
    async awaitingEvent(from: number, to: number): Promise<Alarm[]> {
      return (await db.selectFrom('risk_alarms').selectAll().where('event_id', 'is', null)
        .where('event_requested_at', '>=', from).where('event_requested_at', '<=', to).orderBy('event_requested_at').execute()).map(fromRow);
    },

    /** Alarms in the given states (start-up: the active index). */
    async inStates(states: AlarmState[]): Promise<Alarm[]> {
      return (await db.selectFrom('risk_alarms').selectAll().where('state', 'in', states).execute()).map(fromRow);
    },

    async list(f: AlarmFilter): Promise<{ items: Alarm[]; total: number }> {
      let q = db.selectFrom('risk_alarms');
      if (f.states?.length) q = q.where('state', 'in', f.states);
      if (f.severities?.length) q = q.where('severity', 'in', f.severities);
      if (f.orgPathPrefix) q = q.where('org_path', 'like', `${f.orgPathPrefix.replace(/[%_\\]/g, '')}%`);
      if (f.sourceId) q = q.where('source_id', '=', f.sourceId);
      if (f.ruleId) q = q.where('rule_id', '=', f.ruleId);
      if (f.incidentId) q = q.where('incident_id', '=', f.incidentId);
      if (f.collapseIncidents?.length) {
        const open = f.collapseIncidents;
        q = q.where((eb) => eb.or([eb('incident_id', 'is', null), eb('incident_id', 'not in', open)]));
      }
      if (f.since !== undefined) q = q.where('raised_at', '>=', f.since);
      const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await q.selectAll().orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
      return { items: rows.map(fromRow), total };
    },

    /** Counts by state and severity: every alarm not yet cleared, and those cleared since `clearedSince`. */
    async summary(clearedSince: number): Promise<Array<{ state: AlarmState; severity: Severity; n: number }>> {
      const rows = await db.selectFrom('risk_alarms')
        .where((eb) => eb.or([eb('state', '!=', 'cleared'), eb('cleared_at', '>=', clearedSince)]))
        .select(['state', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['state', 'severity']).execute();
      return rows.map((r) => ({ state: r.state as AlarmState, severity: r.severity as Severity, n: Number(r.n) }));
    },

    async openIncidents(): Promise<AlarmIncident[]> {
      return (await db.selectFrom('risk_alarm_incidents').selectAll().where('closed_at', 'is', null).execute()).map(fromIncidentRow);
    },

    async getIncident(id: string): Promise<AlarmIncident | null> {
      const r = await db.selectFrom('risk_alarm_incidents').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? fromIncidentRow(r) : null;
    },

    async listIncidents(f: { open?: boolean; limit: number; offset: number }): Promise<{ items: AlarmIncident[]; total: number }> {
      let q = db.selectFrom('risk_alarm_incidents');
      if (f.open === true) q = q.where('closed_at', 'is', null);
      if (f.open === false) q = q.where('closed_at', 'is not', null);
      const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await q.selectAll().orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
      return { items: rows.map(fromIncidentRow), total };
    },
  };
}

export type AlarmStore = ReturnType<typeof createAlarmStore>;
