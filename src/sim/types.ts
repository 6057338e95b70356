/** The demo city and its simulator: planned sensors, their value profiles, incidents and the simulator's domain events. */
import type { Position } from '../platform/geo/index.js';
import type { SensorClass } from '../modules/sensing/types.js';

/** What the simulator needs to know to make a sensor's values believable. */
export interface SensorProfile {
  /** 0..1 stable per-sensor variation (from the id), so two sensors never march in lockstep. */
  seed: number;
  /** Size of the thing measured: road capacity (veh/h), pipe flow (m³/h), feeder load (kW), gauge base level (m) … */
  scale: number;
  /** Free-flow speed (km/h) for traffic speed; unused elsewhere. */
  speedKph?: number;
  /** Road, river or place the sensor sits on/at, for grouping incidents along a corridor. */
  corridor?: string;
  /** 0..1: how central (town centre 1, countryside 0); shapes crowd, air and noise. */
  centrality: number;
}

/** One sensor of the demo city as the placement decided it. */
export interface PlannedSensor {
  id: string;
  name: string;
  class: SensorClass;
  metric: string;
  lon: number;
  lat: number;
  department: string;
  thresholds: { warn?: number; alarm?: number } | null;
  profile: SensorProfile;
}

export const INCIDENT_KINDS = ['rainstorm', 'congestion', 'pipe_burst', 'fire', 'sos'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** A sensor an incident acts on, with how strongly (0..1, falls off with distance). */
export interface AffectedSensor {
  index: number;
  weight: number;
}

export interface Incident {
  id: string;
  kind: IncidentKind;
  /** Centre of the incident ([lon, lat]). */
  at: Position;
  /** Org unit the incident covers, when one was given. */
  area: string | null;
  /** Radius of effect in metres. */
  radiusM: number;
  /** Epoch ms (clock time) when injected. */
  startedAt: number;
  /** Duration of the cause in simulated minutes (effects such as high water may outlast it). */
  durationMin: number;
  /** 0.1..5, 1 = a typical incident of its kind. */
  intensity: number;
  /** Simulated minutes per wall-clock minute, fixed when injected. */
  timeScale: number;
  affected: AffectedSensor[];
}

/** The incident as published on the bus: its fields, with the affected sensors as plain ids. */
export type IncidentInjectedPayload = Pick<Incident, 'kind' | 'at' | 'area' | 'radiusM' | 'startedAt' | 'durationMin' | 'intensity' | 'timeScale'> & {
  incidentId: string;
  sensorIds: string[];
};

export interface IncidentEndedPayload {
  incidentId: string;
  kind: IncidentKind;
  endedAt: number;
  reason: 'finished' | 'stopped';
}

declare module '../platform/bus/types.js' {
  interface DomainEventMap {
    IncidentInjected: IncidentInjectedPayload;
    IncidentEnded: IncidentEndedPayload;
  }
}
