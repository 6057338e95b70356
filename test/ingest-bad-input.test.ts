/**
 * Bad input to ingestion and telemetry queries (issue 2, "Reliability and bad
 * input"): malformed JSON, wrong types, NaN/Infinity, huge batches, timestamps
 * far in the future or past, unknown sensors, bad coordinates when
 * provisioning, wrong content types. Each gets a clear 4xx (or 207 with
 * per-reading reasons), nothing bad is stored, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from './helpers/city.js';

const NOW = Date.UTC(2026, 10, 22, 8, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('ingestion refuses bad input clearly and keeps serving', () => {
  let city: TestCity;
  let key: string;
  let provisioningKey: string;
  let token: string;

  beforeAll(async () => {
    city = await startTestCity({ config: { maxBatchReadings: 200, bodyLimitBytes: 256 * 1024 } });
    await city.start();
    const { auth, sensing } = city.services;
    key = (await auth.createApiKey({ name: 'gauges', roles: ['device'] }, 'test')).key;
    provisioningKey = (await auth.createApiKey({ name: 'gateway', roles: ['device'], autoProvision: true }, 'test')).key;
    await auth.createUser({ username: 'duty', password: 'duty-password-1', roles: ['dispatcher'] }, 'test');
    await sensing.upsertSensors([
      { id: 'wl-1', name: 'Gauge 1', class: 'water_level', location: { type: 'Point', coordinates: [1.52, 42.51] } },
      { id: 'wl-2', name: 'Gauge 2', class: 'water_level', location: { type: 'Point', coordinates: [1.53, 42.52] } },
    ], 'test');
    const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'duty', password: 'duty-password-1' } });
    token = (login.json() as { token: string }).token;
  });
  afterAll(async () => {
    await city?.destroy();
  });

  const post = (payload: string, contentType = 'application/json', apiKey = key) =>
    city.app.inject({ method: 'POST', url: '/api/v1/readings', headers: { 'content-type': contentType, 'x-api-key': apiKey }, payload });
  const good = (sensor = 'wl-1', ts = NOW - 1000, value = 1.5) => ({ sensor, ts: iso(ts), value });
  const codes = (res: { json(): unknown }) => {
    const b = res.json() as { rejected?: Array<{ index: number; code: string }>; error?: { details?: { rejected?: Array<{ index: number; code: string }> } } };
    return (b.rejected ?? b.error?.details?.rejected ?? []).map((r) => `${r.index}:${r.code}`);
  };
  const stillServing = async () => {
    const res = await post(JSON.stringify([good('wl-2', NOW - Math.floor(Math.random() * 1e6))]));
    expect(res.statusCode).toBe(200);
    expect((await city.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  };
  const errorCode = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    for (const body of ['[{"sensor":"wl-1","ts":1,"value":1}', '[{"sensor":"wl-1","value":NaN}]', '[{"value":Infinity}]', '{{{', '[1,]']) {
      const res = await post(body);
      expect(res.statusCode, body).toBe(400);
      expect(errorCode(res), body).toBe('INVALID_JSON');
    }
    await stillServing();
  });

  it('answers a body that is not a batch with 400', async () => {
    expect(errorCode(await post(JSON.stringify(good())))).toBe('BODY_NOT_ARRAY');
    expect(errorCode(await post('null'))).toBe('BODY_NOT_ARRAY');
    expect(errorCode(await post('"readings"'))).toBe('BODY_NOT_ARRAY');
    expect(errorCode(await post('[]'))).toBe('EMPTY_BATCH');
    expect(errorCode(await post(''))).toMatch(/EMPTY_BODY|INVALID_JSON/);
    const proto = await post('[{"sensor":"wl-1","ts":1,"value":1,"__proto__":{"admin":true}}]');
    expect(proto.statusCode).toBe(400);
    await stillServing();
  });

  it('rejects wrong types, NaN and Infinity per reading and stores the good ones (207)', async () => {
    const body = `[
      {"sensor":"wl-1","ts":"${iso(NOW - 5000)}","value":"NaN"},
      {"sensor":"wl-1","ts":"${iso(NOW - 5000)}","value":1e999},
      {"sensor":"wl-1","ts":"${iso(NOW - 5000)}","value":-1e999},
      {"sensor":42,"ts":"${iso(NOW - 5000)}","value":1},
      {"sensor":"wl-1","ts":true,"value":1},
      {"sensor":"wl-1","ts":"${iso(NOW - 5000)}","value":"12"},
      {"sensor":"wl-1","ts":"${iso(NOW - 5000)}","value":null},
      "wl-1,${NOW},1",
      {"sensor":"wl-1","ts":"${iso(NOW - 5000)}","value":12.5},
      {"sensor":"wl-1","ts":"${iso(NOW - 4000)}","value":51},
      {"sensor":"wl-1","ts":"${iso(NOW - 3000)}","value":-11}
    ]`;
    const res = await post(body);
    expect(res.statusCode).toBe(207);
    expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(codes(res)).toEqual([
      '0:VALUE_NOT_NUMBER', '1:VALUE_NOT_FINITE', '2:VALUE_NOT_FINITE', '3:BAD_SENSOR', '4:BAD_TIMESTAMP', '5:VALUE_NOT_NUMBER', '6:VALUE_NOT_NUMBER',
      '7:NOT_AN_OBJECT', '9:VALUE_IMPLAUSIBLE', '10:VALUE_IMPLAUSIBLE',
    ]);
    for (const r of (res.json() as { rejected: Array<{ reason: string }> }).rejected) expect(r.reason.length).toBeGreaterThan(20);
    await stillServing();
  });

  it('answers 400 NO_VALID_READINGS when nothing can be stored, listing every reason', async () => {
    const res = await post(JSON.stringify([{ sensor: 'wl-1', ts: iso(NOW), value: 'high' }, { sensor: 'nowhere', ts: iso(NOW), value: 1 }]));
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('NO_VALID_READINGS');
    expect(codes(res)).toEqual(['0:VALUE_NOT_NUMBER', '1:UNKNOWN_SENSOR']);
  });

  it('rejects timestamps far in the future or the past', async () => {
    const res = await post(JSON.stringify([
      good('wl-1', NOW + 10 * 60_000),
      { sensor: 'wl-1', ts: '+275760-09-13T00:00:00.000Z', value: 1 },
      { sensor: 'wl-1', ts: 8.64e15 + 1, value: 1 },
      good('wl-1', Date.UTC(1990, 0, 1)),
      { sensor: 'wl-1', ts: Math.floor(NOW / 1000), value: 1 },
      { sensor: 'wl-1', ts: '2026-11-22T08:00:00', value: 1 },
      { sensor: 'wl-1', ts: '2026-02-30T00:00:00Z', value: 1 },
      good('wl-1', NOW + 60_000),
    ]));
    expect(res.statusCode).toBe(207);
    expect(codes(res)).toEqual(['0:TS_IN_FUTURE', '1:BAD_TIMESTAMP', '2:BAD_TIMESTAMP', '3:TS_TOO_OLD', '4:TS_TOO_OLD', '5:BAD_TIMESTAMP', '6:BAD_TIMESTAMP']);
  });

  it('rejects unknown sensors, and provisioning with bad coordinates', async () => {
    const unknown = await post(JSON.stringify([good('ghost-1'), good('wl-1', NOW - 7000)]));
    expect(unknown.statusCode).toBe(207);
    expect(codes(unknown)).toEqual(['0:UNKNOWN_SENSOR']);

    const provision = await post(JSON.stringify([
      { ...good('river-9'), class: 'water_level', lon: 1.55, lat: 42.5 },
      { ...good('bad-1'), class: 'water_level', lon: 42.5, lat: 181 },
      { ...good('bad-2'), class: 'water_level', lon: 'east', lat: 42 },
      { ...good('bad-3'), class: 'water_level' },
      { ...good('bad-4'), class: 'volcano', lon: 1.5, lat: 42.5 },
      good('bad-5'),
    ]), 'application/json', provisioningKey);
    expect(provision.statusCode).toBe(207);
    expect(codes(provision)).toEqual(['1:BAD_COORDINATES', '2:BAD_COORDINATES', '3:LOCATION_REQUIRED', '4:UNKNOWN_CLASS', '5:UNKNOWN_SENSOR']);
    const dir = city.services.sensing.directory;
    expect(dir.byId('river-9')).toMatchObject({ class: 'water_level', lon: 1.55, lat: 42.5 });
    for (const id of ['bad-1', 'bad-2', 'bad-3', 'bad-4', 'bad-5']) expect(dir.byId(id)).toBeUndefined();
    await stillServing();
  });

  it('refuses batches over the maximum (413) and bodies over the size limit (413)', async () => {
    const many = Array.from({ length: 201 }, (_, i) => good('wl-1', NOW - 100_000 - i));
    const res = await post(JSON.stringify(many));
    expect(res.statusCode).toBe(413);
    expect(errorCode(res)).toBe('BATCH_TOO_LARGE');
    const huge = await post(`[${JSON.stringify({ ...good(), pad: 'x'.repeat(300 * 1024) })}]`);
    expect(huge.statusCode).toBe(413);
    expect(errorCode(huge)).toBe('BODY_TOO_LARGE');
    const deep = await post(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(deep.statusCode).toBeGreaterThanOrEqual(400);
    expect(deep.statusCode).toBeLessThan(500);
    await stillServing();
  });

  it('refuses wrong content types (415) and takes NDJSON, rejecting bad lines by index', async () => {
    const text = await post(JSON.stringify([good()]), 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(errorCode(text)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await post('<readings/>', 'application/xml')).statusCode).toBe(415);
    const nd = await post(`${JSON.stringify(good('wl-1', NOW - 20_000))}\n{"sensor":"wl-1",\n\n${JSON.stringify(good('wl-2', NOW - 20_000))}\n`, 'application/x-ndjson');
    expect(nd.statusCode).toBe(207);
    expect(nd.json()).toMatchObject({ accepted: 2, rejected: [{ index: 1, code: 'INVALID_JSON' }] });
    const none = await post('\n\n', 'application/x-ndjson');
    expect(errorCode(none)).toBe('EMPTY_BATCH');
    await stillServing();
  });

  it('needs a device, admin or dispatcher principal', async () => {
    const res = await city.app.inject({ method: 'POST', url: '/api/v1/readings', headers: { 'content-type': 'application/json' }, payload: JSON.stringify([good()]) });
    expect(res.statusCode).toBe(401);
    const wrong = await post(JSON.stringify([good()]), 'application/json', 'co_00000000_notarealkeynotarealkeynotareal');
    expect(wrong.statusCode).toBe(401);
  });

  it('answers bad query parameters with 400 and unknown sensors with 404', async () => {
    const get = (url: string) => city.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect((await get('/api/v1/readings')).statusCode).toBe(400);
    expect(errorCode(await get('/api/v1/readings?sensor=ghost'))).toBe('SENSOR_NOT_FOUND');
    expect(errorCode(await get('/api/v1/readings?sensor=wl-1&from=yesterday'))).toBe('BAD_TIME');
    expect(errorCode(await get(`/api/v1/readings?sensor=wl-1&from=${NOW}&to=${NOW - 1}`))).toBe('BAD_RANGE');
    expect(errorCode(await get(`/api/v1/readings?sensor=wl-1&from=${NOW - 40 * 86_400_000}&step=raw`))).toBe('RANGE_TOO_LONG_FOR_RAW');
    expect((await get('/api/v1/readings?sensor=wl-1&step=5m')).statusCode).toBe(400);
    expect((await get('/api/v1/readings?sensor=wl-1&limit=0')).statusCode).toBe(400);
    expect(errorCode(await get('/api/v1/readings/aggregate?class=lava'))).toBe('UNKNOWN_CLASS');
    expect((await get('/api/v1/readings/aggregate')).statusCode).toBe(400);
    expect(errorCode(await get('/api/v1/latest?bbox=1,2,3'))).toBe('BAD_BBOX');
    expect(errorCode(await get('/api/v1/latest?class=lava'))).toBe('UNKNOWN_CLASS');
    const ok = await get('/api/v1/readings?sensor=wl-1&step=raw');
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { points: unknown[] }).points.length).toBeGreaterThan(0);
    await stillServing();
  });
});
