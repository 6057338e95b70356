/** The risk settings in src/config.ts: defaults, environment and flags, and refusals that name the setting. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('risk settings', () => {
  it('defaults to the tuned values and reads the environment; flags win', () => {
    const d = loadConfig({});
    expect(d).toMatchObject({ alarmFloodLimit: 5, alarmFloodWindowS: 600, detectorAlarmLevel: 0.998, detectorAlarmHold: 15, forecastCadenceS: 60 });
    // The demo city plays incidents 30× faster, so its forecasts are remade every 5 s unless told otherwise.
    expect(loadConfig({ CITYOPS_DEMO: '1' }).forecastCadenceS).toBe(5);
    expect(loadConfig({ CITYOPS_DEMO: '1', CITYOPS_FORECAST_CADENCE: '20' }).forecastCadenceS).toBe(20);
    const c = loadConfig(
      { CITYOPS_ALARM_FLOOD_LIMIT: '8', CITYOPS_ALARM_FLOOD_WINDOW: '300', CITYOPS_DETECTOR_ALARM_LEVEL: '0.99', CITYOPS_DETECTOR_ALARM_HOLD: '5', CITYOPS_FORECAST_CADENCE: '120' },
      { forecastCadenceS: '30' },
    );
    expect(c).toMatchObject({ alarmFloodLimit: 8, alarmFloodWindowS: 300, detectorAlarmLevel: 0.99, detectorAlarmHold: 5, forecastCadenceS: 30 });
  });

  it('refuses values out of range, naming each setting', () => {
    let err: unknown;
    try {
      loadConfig({ CITYOPS_ALARM_FLOOD_LIMIT: '0', CITYOPS_DETECTOR_ALARM_LEVEL: '1.5', CITYOPS_FORECAST_CADENCE: 'soon' }, { detectorAlarmHold: '2.5' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toContain('CITYOPS_ALARM_FLOOD_LIMIT="0"');
    expect(problems).toContain('CITYOPS_DETECTOR_ALARM_LEVEL="1.5": must be a number from 0.5 to 1');
    expect(problems).toContain('CITYOPS_FORECAST_CADENCE="soon"');
    expect(problems).toContain('--detector-alarm-hold="2.5"');
  });
});
