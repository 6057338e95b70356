/**
 * The rule set a new city starts with (seeded once, when the rules table is
 * empty; operators edit it afterwards like any rule). Values follow the
 * sensors' own registry thresholds where they have them ('sensor.warn' /
 * 'sensor.alarm', set by the demo city's placement from GB 3095 / GB 3096 and
 * the sites' profiles) and the demo incidents' effects (src/sim/model.logic.ts,
 * incidents.logic.ts), so each incident raises its alarm within seconds:
 *  - rainstorm: rain gauges pass 10 mm/h (warn) within ~5 s; the compound
 *    "raining AND a gauge within 3 km rising" rule and the water-level
 *    thresholds follow as the water rises;
 *  - congestion: road speed under 50 % of that sensor's usual speed for 20 s
 *    (a jam cuts speed by up to 80 % at its centre, whatever the road's own
 *    speed; the rush hour's slower traffic is part of "usual", which follows
 *    the day with a 30-minute time constant). A fixed km/h line missed jams
 *    on fast roads and would fire on every slow street;
 *  - pipe_burst: pressure falls by 75 % at the burst (to 60–110 kPa; normal
 *    lows stay above 200) and falls faster than 100 kPa/min;
 *  - fire: smoke obscuration passes the detector's 4 %/m alarm at once;
 *  - sos: the wearable's alert reads 1.
 * Event categories are codes from the city-event taxonomy.
 */
import type { RuleInput } from '../types.js';

const missing: RuleInput = {
  name: '数据缺失 / Missing data',
  messageZh: '{sensor} 超过 3 个上报周期无数据',
  messageEn: '{sensor} has sent nothing for 3 reporting intervals',
  scope: { kind: 'class', class: 'traffic' },
  condition: { type: 'missing', factor: 3 },
  severity: 'warning',
  openEvent: null,
  enabled: true,
};

export const DEFAULT_RULES: RuleInput[] = [
  // ── water and rain (rainstorm) ──
  {
    name: '强降雨 / Heavy rain', messageZh: '{sensor} 雨强 {value} mm/h，超过预警值', messageEn: 'Heavy rain at {sensor}: {value} mm/h',
    scope: { kind: 'class', class: 'rainfall' }, condition: { type: 'threshold', op: '>', value: 'sensor.warn', forS: 0 },
    severity: 'minor', openEvent: null, enabled: true,
  },
  {
    name: '暴雨 / Torrential rain', messageZh: '{sensor} 雨强 {value} mm/h，达到暴雨报警值', messageEn: 'Torrential rain at {sensor}: {value} mm/h',
    scope: { kind: 'class', class: 'rainfall' }, condition: { type: 'threshold', op: '>', value: 'sensor.alarm', forS: 5 },
    severity: 'major', openEvent: null, enabled: true,
  },
  {
    name: '水位预警 / Water level warning', messageZh: '{sensor} 水位 {value} m，超过预警水位', messageEn: 'Water level at {sensor} is {value} m, above its warning level',
    scope: { kind: 'class', class: 'water_level' }, condition: { type: 'threshold', op: '>', value: 'sensor.warn', forS: 10 },
    severity: 'major', openEvent: null, enabled: true,
  },
  {
    name: '水位超警戒 / Water level alarm', messageZh: '{sensor} 水位 {value} m，超过警戒水位，有内涝风险', messageEn: 'Water level at {sensor} is {value} m, above its alarm level: flooding risk',
    scope: { kind: 'class', class: 'water_level' }, condition: { type: 'threshold', op: '>', value: 'sensor.alarm', forS: 10 },
    severity: 'critical', openEvent: { minSeverity: 'critical', category: 'WATERLOGGING' }, enabled: true,
  },
  {
    // 0.3 mm in 10 min is steady rain; with a gauge nearby up 0.3 m in the same time, water is collecting.
    name: '降雨致水位上涨 / Rain with rising water', messageZh: '{sensor} 附近 3 km 内持续降雨且水位 10 分钟内上涨超过 0.3 m，当前 {value} m', messageEn: 'Rain within 3 km of {sensor} and water up more than 0.3 m in 10 min (now {value} m)',
    scope: { kind: 'class', class: 'water_level' },
    condition: { type: 'compound', withinM: 3000, all: [
      { class: 'rainfall', measure: 'sum', windowS: 600, op: '>', value: 0.3 },
      { class: 'water_level', measure: 'rise', windowS: 600, op: '>', value: 0.3 },
    ] },
    severity: 'major', openEvent: { minSeverity: 'major', category: 'WATERLOGGING' }, enabled: true,
  },
  // ── traffic (congestion) ──
  {
    name: '道路严重拥堵 / Severe congestion', messageZh: '{sensor} 平均车速 {value} km/h，不到平常的一半，严重拥堵', messageEn: 'Severe congestion at {sensor}: average speed {value} km/h, under half its usual',
    scope: { kind: 'class', class: 'traffic', metric: 'speed' }, condition: { type: 'belowUsual', percent: 50, clearPercent: 70, forS: 20, learnS: 1800 },
    severity: 'major', openEvent: { minSeverity: 'major', category: 'CONGESTION' }, enabled: true,
  },
  // ── water supply (pipe_burst) ──
  {
    name: '管网压力过低 / Pipe pressure low', messageZh: '{sensor} 管网压力 {value} kPa，疑似爆管', messageEn: 'Pipe pressure at {sensor} is {value} kPa: suspected burst main',
    scope: { kind: 'class', class: 'pipe', metric: 'pressure' }, condition: { type: 'threshold', op: '<', value: 150, clear: 180, forS: 0 },
    severity: 'critical', openEvent: { minSeverity: 'critical', category: 'WATER_SUPPLY' }, enabled: true,
  },
  {
    name: '管网压力骤降 / Pipe pressure falling fast', messageZh: '{sensor} 管网压力快速下降，当前 {value} kPa', messageEn: 'Pipe pressure at {sensor} is falling fast (now {value} kPa)',
    scope: { kind: 'class', class: 'pipe', metric: 'pressure' }, condition: { type: 'rate', op: 'fall', perMinute: 100, windowS: 60 },
    severity: 'major', openEvent: null, enabled: true,
  },
  // ── fire ──
  {
    name: '烟感预警 / Smoke detected', messageZh: '{sensor} 烟雾遮光率 {value} %/m', messageEn: 'Smoke at {sensor}: {value} %/m',
    scope: { kind: 'class', class: 'smoke' }, condition: { type: 'threshold', op: '>', value: 'sensor.warn', forS: 0 },
    severity: 'major', openEvent: null, enabled: true,
  },
  {
    name: '火警 / Fire alarm', messageZh: '{sensor} 烟雾遮光率 {value} %/m，疑似火情', messageEn: 'Fire alarm at {sensor}: smoke {value} %/m',
    scope: { kind: 'class', class: 'smoke' }, condition: { type: 'threshold', op: '>', value: 'sensor.alarm', forS: 0 },
    severity: 'critical', openEvent: { minSeverity: 'critical', category: 'FIRE_HAZARD' }, enabled: true,
  },
  // ── wearable SOS ──
  {
    name: '一键呼救 / Wearable SOS', messageZh: '{sensor} 发出一键呼救', messageEn: 'SOS call from {sensor}',
    scope: { kind: 'class', class: 'sos' }, condition: { type: 'threshold', op: '>', value: 0.5, clear: 0.5, forS: 0 },
    severity: 'critical', openEvent: { minSeverity: 'critical', category: 'ELDERLY_CARE' }, enabled: true,
  },
  // ── the other classes' own thresholds ──
  ...(['air_quality', 'noise', 'energy', 'crowd', 'tilt'] as const).flatMap((c): RuleInput[] => [
    {
      name: `${c} 超预警值 / ${c} above warning level`, messageZh: '{sensor} 读数 {value}，超过预警值', messageEn: '{sensor} reads {value}, above its warning level',
      scope: { kind: 'class', class: c }, condition: { type: 'threshold', op: '>', value: 'sensor.warn', forS: 60 },
      severity: 'warning', openEvent: null, enabled: true,
    },
    {
      name: `${c} 超报警值 / ${c} above alarm level`, messageZh: '{sensor} 读数 {value}，超过报警值', messageEn: '{sensor} reads {value}, above its alarm level',
      scope: { kind: 'class', class: c }, condition: { type: 'threshold', op: '>', value: 'sensor.alarm', forS: 30 },
      severity: c === 'crowd' || c === 'tilt' ? 'major' : 'minor', openEvent: null, enabled: true,
    },
  ]),
  // ── silence, every class ──
  ...(['traffic', 'air_quality', 'noise', 'water_level', 'rainfall', 'pipe', 'energy', 'crowd', 'parking', 'tilt', 'smoke', 'sos'] as const).map((c): RuleInput => ({
    ...missing, name: `数据缺失 / Missing data: ${c}`, scope: { kind: 'class', class: c },
  })),
];
