/**
 * The map's style: no tile server, no glyphs — a plain background and GeoJSON
 * sources the screen fills from the API (roads from the imported OpenStreetMap
 * data, org-unit boundaries, risk, events, sensors, alarms). Layer order, bottom
 * to top: background, risk fill, minor roads, main roads, boundaries, events, sensors, alarms.
 * Speed (bench:web): the minor streets are a source of their own drawn from
 * zoom MINOR_ROADS_ZOOM, so the whole-city view tiles only the main roads; the
 * 2,000+ sensors are plain circles (clustering re-indexed on every update, so
 * clusters are only drawn further out than the city view, from data loaded
 * once) whose live state (ok / stale / alarm) is feature-state, so a change
 * restyles one sensor instead of re-tiling them all.
 */
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';

const empty = { type: 'FeatureCollection' as const, features: [] };

/** Below this zoom (further out than the city view the screen opens at) sensors show as clusters. */
export const CLUSTER_BELOW_ZOOM = 10;

/** Colours of the 12 sensor classes (also used by the legend). */
export const CLASS_COLOURS: Record<string, string> = {
  traffic: '#1677ff', air_quality: '#13c2c2', noise: '#722ed1', water_level: '#0958d9', rainfall: '#36cfc9', pipe: '#2f54eb',
  energy: '#faad14', crowd: '#eb2f96', parking: '#52c41a', tilt: '#a0d911', smoke: '#fa541c', sos: '#f5222d',
};
export const SEVERITY_COLOURS: Record<string, string> = { critical: '#a8071a', major: '#f5222d', minor: '#fa8c16', warning: '#fadb14' };
export const EVENT_STATE_COLOURS: Record<string, string> = { received: '#fa8c16', dispatched: '#1677ff', in_progress: '#722ed1' };

/** ['match', ['get', prop], k1, v1, k2, v2, …, fallback] from a lookup table. */
const matchColour = (prop: string, table: Record<string, string>, fallback: string): ExpressionSpecification =>
  ['match', ['get', prop], ...Object.entries(table).flat(), fallback] as unknown as ExpressionSpecification;
const classColour = matchColour('c', CLASS_COLOURS, '#8c8c8c');
/** The sensor's live state: feature-state once it has changed on screen, else the state it was drawn with. */
const sensorState: ExpressionSpecification = ['coalesce', ['feature-state', 's'], ['get', 's']];

/** Road classes drawn at every zoom; the others (streets, service roads…) only from MINOR_ROADS_ZOOM. */
export const MAJOR_ROADS = ['motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link'];
export const MINOR_ROADS_ZOOM = 12.5;
const roadColour: ExpressionSpecification = ['match', ['get', 'h'],
  ['motorway', 'motorway_link'], '#e892a2', ['trunk', 'trunk_link'], '#f9b29c', ['primary', 'primary_link'], '#fcd6a4',
  ['secondary', 'secondary_link'], '#f7fabf', ['tertiary', 'tertiary_link'], '#ffffff', '#ffffff'];
const roadWidth = (minor: number, major: number): ExpressionSpecification => [
  'interpolate', ['linear'], ['zoom'],
  10, ['match', ['get', 'h'], ['motorway', 'trunk', 'primary'], major * 0.6, ['secondary', 'tertiary'], major * 0.4, minor * 0.3],
  16, ['match', ['get', 'h'], ['motorway', 'trunk', 'primary'], major * 2.5, ['secondary', 'tertiary'], major * 2, minor * 1.5],
];

export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {
      // Tiled up to z14 and over-zoomed beyond: plenty for lines, far less tiling work.
      roads: { type: 'geojson', data: empty, maxzoom: 14, tolerance: 0.5, buffer: 32 },
      'roads-minor': { type: 'geojson', data: empty, maxzoom: 14, tolerance: 0.5, buffer: 32 },
      org: { type: 'geojson', data: empty },
      risk: { type: 'geojson', data: empty, promoteId: 'id' },
      events: { type: 'geojson', data: empty },
      // Feature ids are the sensors' indexes in the feed (stable for the screen's life), the handle for feature-state.
      sensors: { type: 'geojson', data: empty, buffer: 8 },
      // Zoomed out beyond the city view, sensors gather into clusters: the same points, loaded once and never updated.
      'sensor-clusters': { type: 'geojson', data: empty, cluster: true, clusterMaxZoom: CLUSTER_BELOW_ZOOM - 1, clusterRadius: 40 },
      alarms: { type: 'geojson', data: empty },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } },
      {
        id: 'risk-fill', type: 'fill', source: 'risk',
        paint: {
          'fill-color': ['interpolate', ['linear'], ['get', 'value'], 0, '#ffffff', 0.25, '#ffe58f', 0.5, '#ffa940', 0.75, '#f5222d', 1, '#820014'],
          'fill-opacity': ['case', ['>', ['get', 'value'], 0], 0.45, 0],
        },
      },
      {
        id: 'roads-minor-outline', type: 'line', source: 'roads-minor', minzoom: MINOR_ROADS_ZOOM,
        filter: ['match', ['get', 'h'], ['residential', 'service', 'unclassified', 'living_street', 'road'], true, false],
        paint: { 'line-color': '#d9d0c1', 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 1.9, 16, 2.6] },
      },
      {
        id: 'roads-minor', type: 'line', source: 'roads-minor', minzoom: MINOR_ROADS_ZOOM, layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': roadColour, 'line-width': roadWidth(1, 1.2) },
      },
      {
        id: 'roads-casing', type: 'line', source: 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' },
        filter: ['match', ['get', 'h'], ['motorway', 'trunk', 'primary', 'secondary'], true, false],
        paint: { 'line-color': '#bfae8f', 'line-width': roadWidth(1, 1.6), 'line-gap-width': 0 },
      },
      {
        id: 'roads', type: 'line', source: 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': roadColour, 'line-width': roadWidth(1, 1.2) },
      },
      {
        id: 'org-lines', type: 'line', source: 'org',
        paint: {
          'line-color': ['match', ['get', 'level'], 'district', '#595959', 'street', '#8c8c8c', '#bfbfbf'],
          'line-width': ['match', ['get', 'level'], 'district', 1.6, 'street', 0.9, 0.5],
          'line-dasharray': [3, 2],
          'line-opacity': 0.7,
        },
      },
      {
        id: 'events', type: 'circle', source: 'events',
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 16, 9],
          'circle-color': matchColour('state', EVENT_STATE_COLOURS, '#8c8c8c'),
          'circle-stroke-color': ['case', ['get', 'overdue'], '#a8071a', '#ffffff'],
          'circle-stroke-width': ['case', ['get', 'overdue'], 2.5, 1],
        },
      },
      {
        id: 'sensor-clusters', type: 'circle', source: 'sensor-clusters', maxzoom: CLUSTER_BELOW_ZOOM,
        paint: {
          'circle-radius': ['step', ['coalesce', ['get', 'point_count'], 1], 3, 10, 8, 50, 12, 200, 16],
          'circle-color': '#1554ad',
          'circle-opacity': 0.75,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'sensors', type: 'circle', source: 'sensors', minzoom: CLUSTER_BELOW_ZOOM,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 2.5, 13, 4, 16, 7],
          'circle-color': classColour,
          'circle-opacity': ['case', ['==', sensorState, 'stale'], 0.35, 0.95],
          'circle-stroke-color': ['case', ['==', sensorState, 'alarm'], '#f5222d', '#ffffff'],
          'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 11, ['case', ['==', sensorState, 'alarm'], 2.5, 0.5], 14, ['case', ['==', sensorState, 'alarm'], 3, 1]],
        },
      },
      {
        id: 'alarms', type: 'circle', source: 'alarms',
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 6, 16, 12],
          'circle-color': matchColour('severity', SEVERITY_COLOURS, '#f5222d'),
          'circle-opacity': ['case', ['get', 'acked'], 0.45, 0.85],
          'circle-stroke-color': '#000000',
          'circle-stroke-width': 1,
        },
      },
    ],
  };
}

/** Map layer ids of each switchable layer group. */
export const LAYER_GROUPS = {
  sensors: ['sensors', 'sensor-clusters'],
  alarms: ['alarms'],
  events: ['events'],
  risk: ['risk-fill'],
  boundaries: ['org-lines'],
} as const;
export type LayerGroup = keyof typeof LAYER_GROUPS;
