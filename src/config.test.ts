import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults with no settings', () => {
    const c = loadConfig({}, {});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.sqlitePath.endsWith('data/cityops.db')).toBe(true);
    expect(c.auditHash).toBe('sha256');
    expect(c.mqttTopic).toBe('cityops/readings/#');
  });

  it('reads the environment and lets flags win', () => {
    const c = loadConfig({ PORT: '9000', DATABASE_URL: 'postgres://u@h/db', NATS_URL: 'nats://127.0.0.1:4222' }, { port: 9100 });
    expect(c.port).toBe(9100);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.natsUrl).toBe('nats://127.0.0.1:4222');
  });

  it('names every invalid setting and what is wrong', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', CITYOPS_AUDIT_HASH: 'md5', CITYOPS_DEMO: 'maybe', MQTT_URL: 'not a url' }, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT="70000": must be a whole number from 0 to 65535/);
    expect(problems).toMatch(/DATABASE_URL=.*scheme must be one of postgres/);
    expect(problems).toMatch(/CITYOPS_AUDIT_HASH="md5": must be one of sha256, sm3/);
    expect(problems).toMatch(/CITYOPS_DEMO="maybe": must be true or false/);
    expect(problems).toMatch(/MQTT_URL=.*not a valid URL/);
  });

  it('names the flag when a flag is wrong', () => {
    expect(() => loadConfig({}, { port: 'abc' })).toThrow(/--port="abc"/);
  });

  it('rejects a short JWT secret and a malformed MQTT topic filter', () => {
    expect(() => loadConfig({ CITYOPS_JWT_SECRET: 'short' })).toThrow(/CITYOPS_JWT_SECRET: must be at least 32 characters/);
    expect(() => loadConfig({ MQTT_TOPIC: 'a/#/b' })).toThrow(/not a valid MQTT topic filter/);
    expect(loadConfig({ MQTT_TOPIC: 'city/+/readings/#' }).mqttTopic).toBe('city/+/readings/#');
  });
});
