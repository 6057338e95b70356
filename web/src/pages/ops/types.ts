/** Wire shapes the operations centre reads (see the server's route files for the source of truth). */
export type Severity = 'critical' | 'major' | 'minor' | 'warning';
export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];
export type AlarmState = 'active_unack' | 'active_ack' | 'cleared_unack' | 'cleared';
export type EventState = 'received' | 'dispatched' | 'in_progress' | 'result_reported' | 'rated' | 'closed';
export const OPEN_EVENT_STATES: readonly EventState[] = ['received', 'dispatched', 'in_progress'];
export const CHANNELS = ['hotline', 'app', 'patrol', 'alarm', 'api'] as const;

export interface GeoPoint {
  type: 'Point';
  coordinates: [number, number] | number[];
}

export interface LatestItem {
  sensor: string;
  class: string;
  metric: string;
  lon: number;
  lat: number;
  ts: string | null;
  value: number | null;
}

export interface SensorClassInfo {
  class: string;
  nameZh: string;
  nameEn: string;
  metrics: Array<{ metric: string; unit: string; nameZh: string; nameEn: string }>;
}

export interface SensorWire {
  id: string;
  name: string;
  class: string;
  metric: string;
  unit: string;
  location: GeoPoint;
  department: string | null;
  orgUnitId: string | null;
  expectedIntervalS: number;
  min: number;
  max: number;
  thresholds: { warn?: number; alarm?: number } | null;
  state: string;
}

export interface SeriesPoint {
  ts: string;
  value?: number;
  min?: number;
  max?: number;
  avg?: number;
}

export interface AlarmWire {
  id: string;
  state: AlarmState;
  severity: Severity;
  source: string;
  ruleId: string;
  sourceId: string;
  sensorClass: string | null;
  messageZh: string;
  messageEn: string;
  location: GeoPoint | null;
  orgPath: string | null;
  department: string | null;
  raisedAt: string;
  lastAt: string;
  count: number;
  lastValue: number | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  clearedAt: string | null;
  clearedBy: string | null;
  incidentId: string | null;
  eventId: string | null;
  notes: Array<{ at: string; by: string; text: string }>;
  version: number;
}

export interface EventWire {
  id: string;
  trackingCode: string;
  channel: string;
  category: string;
  urgent: boolean;
  text: string;
  location: GeoPoint | null;
  address: string | null;
  orgUnitId: string | null;
  state: EventState;
  leadDepartment: string | null;
  escalationLevel: number;
  time: { deadlineAt: string | null; status: string };
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEntry {
  at: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  note: string | null;
  actorName?: string | null;
}

export interface OrgUnit {
  id: string;
  parentId: string | null;
  level: 'city' | 'district' | 'street' | 'grid';
  nameZh: string;
  nameEn: string;
  boundary?: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } | null;
}

export interface AreaRisk {
  orgUnitId: string;
  level: string;
  value: number;
  reasons: Array<{ kind: string; weight: number; messageZh: string; messageEn: string; ref: string }>;
}

export interface EventStats {
  total: number;
  byState: Record<string, number>;
  byCategory: Record<string, number>;
  byChannel: Record<string, number>;
}

export interface AlarmSummary {
  activeBySeverity: Record<Severity, number>;
  byState: Record<AlarmState, number>;
  openIncidents: number;
}

/** What the details drawer shows. */
export type Selection =
  | { kind: 'sensor'; id: string }
  | { kind: 'alarm'; id: string }
  | { kind: 'event'; id: string }
  | { kind: 'area'; id: string };

export interface Paged<T> {
  items: T[];
  total: number;
}
