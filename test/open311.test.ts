/**
 * Open311 GeoReport v2 over city events, end to end in-process: JSON answers
 * checked against JSON schemas equivalent to the spec's, XML parsed back with
 * saxes, form-encoded POSTs with a real CityOps API key, the spec's error
 * lists, and the GET filters (ids override, status, the 90-day window).
 */
import { Ajv } from 'ajv';
import { SaxesParser } from 'saxes';
import { Type, type TSchema } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import { principalsFor, type TestPrincipal } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 22, 8);
const V2 = '/open311/v2';

const Nullable = (t: TSchema) => Type.Union([t, Type.Null()]);
const ServiceSchema = Type.Array(Type.Object({
  service_code: Type.String({ minLength: 1 }), service_name: Type.String({ minLength: 1 }), description: Type.String(),
  metadata: Type.Boolean(), type: Type.Union([Type.Literal('realtime'), Type.Literal('batch'), Type.Literal('blackbox')]),
  keywords: Type.String(), group: Type.String(),
}, { additionalProperties: false }));
const RequestSchema = Type.Array(Type.Object({
  service_request_id: Type.String({ minLength: 1 }), status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  status_notes: Nullable(Type.String()), service_name: Type.String(), service_code: Type.String(), description: Nullable(Type.String()),
  agency_responsible: Nullable(Type.String()), service_notice: Nullable(Type.String()),
  requested_datetime: Type.String({ format: 'date-time' }), updated_datetime: Nullable(Type.String({ format: 'date-time' })),
  expected_datetime: Nullable(Type.String({ format: 'date-time' })), address: Nullable(Type.String()), address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()), lat: Nullable(Type.Number()), long: Nullable(Type.Number()), media_url: Nullable(Type.String()),
}, { additionalProperties: false }));
const CreatedSchema = Type.Array(Type.Object({
  service_request_id: Type.String({ minLength: 1 }), service_notice: Nullable(Type.String()), account_id: Nullable(Type.String()),
}, { additionalProperties: false }), { minItems: 1, maxItems: 1 });
const ErrorsSchema = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String({ minLength: 1 }) }, { additionalProperties: false }), { minItems: 1 });
const DiscoverySchema = Type.Object({
  changeset: Type.String(), contact: Type.String(), key_service: Type.String(),
  endpoints: Type.Array(Type.Object({ specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()) }), { minItems: 1 }),
});

const ajv = new Ajv({ allErrors: true, formats: { 'date-time': (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) } });
function valid(schema: TSchema, body: unknown): void {
  const check = ajv.compile(schema);
  expect(check(body), JSON.stringify(check.errors)).toBe(true);
}

interface XmlNode { name: string; children: XmlNode[]; text: string }
/** Parse with saxes (throws on anything not well-formed) into a small tree. */
function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser();
  const stack: XmlNode[] = [{ name: '#doc', children: [], text: '' }];
  parser.on('opentag', (t) => {
    const n: XmlNode = { name: t.name, children: [], text: '' };
    stack[stack.length - 1]!.children.push(n);
    stack.push(n);
  });
  parser.on('text', (t) => { stack[stack.length - 1]!.text += t; });
  parser.on('closetag', () => { stack.pop(); });
  parser.write(xml).close();
  return stack[0]!.children[0]!;
}
const child = (n: XmlNode, name: string) => n.children.find((c) => c.name === name);

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

function suite(name: string, postgres: boolean) {
  describe(name, () => {
    const clock = new ManualClock(T0);
    let city: TestCity;
    let who: Record<string, TestPrincipal>;
    let key: string;

    beforeAll(async () => {
      city = await startTestCity({ clock, postgres });
      who = await principalsFor(city);
      key = who.device!.headers['x-api-key']!;
    });
    afterAll(() => city?.destroy());

    const post = (fmt: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
      city.app.inject({ method: 'POST', url: `${V2}/requests.${fmt}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form(body) });
    const get = (url: string) => city.app.inject({ method: 'GET', url });

    it('discovery and the service list (JSON valid, XML well-formed)', async () => {
      const d = await get(`${V2}/discovery.json`);
      expect(d.statusCode).toBe(200);
      valid(DiscoverySchema, d.json());
      expect(parseXml((await get(`${V2}/discovery.xml`)).body).name).toBe('discovery');

      const s = await get(`${V2}/services.json`);
      expect(s.headers['content-type']).toMatch(/application\/json; charset=utf-8/);
      const services = s.json() as Array<{ service_code: string; service_name: string; group: string }>;
      valid(ServiceSchema, services);
      expect(services.find((x) => x.service_code === 'ROAD_DAMAGE')).toMatchObject({ service_name: '道路破损/坑洼', group: 'component' });
      expect((await get(`${V2}/services.json?locale=en`)).json()[0].service_name).toBe('Road damage / pothole');

      const x = await get(`${V2}/services.xml`);
      expect(x.headers['content-type']).toMatch(/text\/xml; charset=utf-8/);
      const root = parseXml(x.body);
      expect(root.name).toBe('services');
      expect(root.children).toHaveLength(services.length);
      expect(child(root.children[0]!, 'service_code')!.text).toBe(services[0]!.service_code);
    });

    it('service definitions: empty for a known code, 404 list for an unknown one', async () => {
      const ok = await get(`${V2}/services/ROAD_DAMAGE.json`);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ service_code: 'ROAD_DAMAGE', attributes: [] });
      const bad = await get(`${V2}/services/NO_SUCH.json`);
      expect(bad.statusCode).toBe(404);
      valid(ErrorsSchema, bad.json());
      const badXml = await get(`${V2}/services/NO_SUCH.xml`);
      const errs = parseXml(badXml.body);
      expect(errs.name).toBe('errors');
      expect(child(errs.children[0]!, 'code')!.text).toBe('404');
    });

    it('POST form-encoded with a valid key creates an event staff see in /api/v1/events', async () => {
      const res = await post('json', { api_key: key, service_code: 'ROAD_DAMAGE', lat: '42.5', long: '1.5', description: '路面坑洼 <script>alert(1)</script> & more', email: 'a@example.org', first_name: 'Li', phone: '13800000000', account_id: 'acc-1' });
      expect(res.statusCode, res.body).toBe(200);
      const created = res.json() as Array<{ service_request_id: string; account_id: string }>;
      valid(CreatedSchema, created);
      expect(created[0]!.account_id).toBe('acc-1');
      const id = created[0]!.service_request_id;

      const list = await city.app.inject({ method: 'GET', url: '/api/v1/events?category=ROAD_DAMAGE', headers: who.dispatcher!.headers });
      const items = list.json().items as Array<{ trackingCode: string; channel: string; location: unknown; text: string }>;
      const ev = items.find((e) => e.trackingCode === id);
      expect(ev).toMatchObject({ channel: 'api', location: { type: 'Point', coordinates: [1.5, 42.5] } });

      const one = await get(`${V2}/requests/${id}.json`);
      expect(one.statusCode).toBe(200);
      valid(RequestSchema, one.json());
      expect(one.json()[0]).toMatchObject({ service_request_id: id, status: 'open', service_code: 'ROAD_DAMAGE', agency_responsible: '住房和城乡建设局', lat: 42.5, long: 1.5, requested_datetime: new Date(T0).toISOString() });
      // Personal data was never stored or shown.
      for (const secret of ['a@example.org', '13800000000', 'Li"']) expect(one.body).not.toContain(secret);

      const xml = await get(`${V2}/requests/${id}.xml`);
      const req = parseXml(xml.body).children[0]!;
      expect(child(req, 'description')!.text).toBe('路面坑洼 <script>alert(1)</script> & more');
      expect(xml.body).toContain('&lt;script&gt;');

      const tok = await get(`${V2}/tokens/${id}.json`);
      expect(tok.json()).toEqual([{ service_request_id: id, token: id }]);
      expect((await get(`${V2}/tokens/NOPE123.json`)).statusCode).toBe(404);
      expect((await get(`${V2}/requests/NOPE123.json`)).statusCode).toBe(404);
    });

    it('also takes JSON bodies and the X-API-Key header, and answers XML', async () => {
      const res = await city.app.inject({ method: 'POST', url: `${V2}/requests.xml`, headers: { 'x-api-key': key }, payload: { service_code: 'NOISE', address_string: '人民路 1 号' } });
      expect(res.statusCode, res.body).toBe(200);
      const root = parseXml(res.body);
      expect(root.name).toBe('service_requests');
      expect(child(root.children[0]!, 'service_request_id')!.text).toMatch(/^[0-9A-Z]{10}$/);
    });

    it('errors are the spec lists: 403 bad key, 400 missing parameter, 404 unknown service', async () => {
      const cases: Array<[Record<string, string>, number, RegExp]> = [
        [{ api_key: 'co_deadbeef_nottherealkeynottherealkey', service_code: 'NOISE', lat: '42.5', long: '1.5' }, 403, /INVALID_API_KEY/],
        [{ api_key: 'garbage', service_code: 'NOISE', lat: '42.5', long: '1.5' }, 403, /INVALID_API_KEY/],
        [{ service_code: 'NOISE', lat: '42.5', long: '1.5' }, 400, /API_KEY_REQUIRED/],
        [{ api_key: key, lat: '42.5', long: '1.5' }, 400, /SERVICE_CODE_REQUIRED/],
        [{ api_key: key, service_code: 'NOISE' }, 400, /LOCATION_REQUIRED/],
        [{ api_key: key, service_code: 'NOISE', lat: '42.5' }, 400, /LOCATION_REQUIRED/],
        [{ api_key: key, service_code: 'NOISE', lat: '420', long: '1.5' }, 400, /BAD_COORDINATES/],
        [{ api_key: key, service_code: 'NOISE', address_string: 'x', description: 'x'.repeat(4001) }, 400, /DESCRIPTION_TOO_LONG/],
        [{ api_key: key, service_code: 'NO_SUCH', lat: '42.5', long: '1.5' }, 404, /SERVICE_NOT_FOUND/],
      ];
      for (const [body, status, re] of cases) {
        const res = await post('json', body);
        expect(res.statusCode, `${JSON.stringify(body).slice(0, 80)} → ${res.body}`).toBe(status);
        valid(ErrorsSchema, res.json());
        expect(res.json()[0].code).toBe(status);
        expect(res.json()[0].description).toMatch(re);
      }
      const xml = await post('xml', { api_key: 'garbage', service_code: 'NOISE', lat: '1', long: '1' });
      expect(xml.statusCode).toBe(403);
      expect(parseXml(xml.body).name).toBe('errors');
    });

    it('GET filters: ids override the rest, status, service_code and the 90-day window', async () => {
      clock.set(T0 - 100 * DAY);
      const old = (await post('json', { api_key: key, service_code: 'NOISE', lat: '42.5', long: '1.5', description: 'old noise' })).json()[0].service_request_id as string;
      clock.set(T0 + DAY);
      const fresh = (await post('json', { api_key: key, service_code: 'NOISE', lat: '42.5', long: '1.5', description: 'new noise' })).json()[0].service_request_id as string;
      const ids = async (url: string) => {
        const res = await get(url);
        expect(res.statusCode, res.body).toBe(200);
        valid(RequestSchema, res.json());
        return (res.json() as Array<{ service_request_id: string }>).map((r) => r.service_request_id);
      };
      const recent = await ids(`${V2}/requests.json`);
      expect(recent).toContain(fresh);
      expect(recent).not.toContain(old);
      expect(await ids(`${V2}/requests.json?service_request_id=${old},${fresh},NOPE&status=closed`)).toEqual([old, fresh]);
      const from = new Date(T0 - 110 * DAY).toISOString();
      const to = new Date(T0 - 90 * DAY).toISOString();
      expect(await ids(`${V2}/requests.json?start_date=${from}&end_date=${to}`)).toEqual([old]);
      expect(await ids(`${V2}/requests.json?service_code=ROAD_DAMAGE`)).not.toContain(fresh);
      expect(await ids(`${V2}/requests.json?status=closed`)).toEqual([]);
      expect(await ids(`${V2}/requests.json?status=open&service_code=NOISE`)).toContain(fresh);

      const tooLong = await get(`${V2}/requests.json?start_date=${new Date(T0 - 100 * DAY).toISOString()}&end_date=${new Date(T0).toISOString()}`);
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json()[0].description).toMatch(/DATE_RANGE_TOO_LONG/);
      expect((await get(`${V2}/requests.json?status=pending`)).statusCode).toBe(400);
      expect((await get(`${V2}/requests.json?start_date=yesterday`)).statusCode).toBe(400);
      expect(parseXml((await get(`${V2}/requests.xml?status=closed`)).body).name).toBe('service_requests');
      clock.set(T0); // the staff sessions signed in at T0 must stay valid for the next test
    });

    it('an event whose result is reported and closed reads as closed', async () => {
      const id = (await post('json', { api_key: key, service_code: 'GARBAGE', lat: '42.5', long: '1.5' })).json()[0].service_request_id as string;
      const list = await city.app.inject({ method: 'GET', url: '/api/v1/events?category=GARBAGE&limit=500', headers: who.dispatcher!.headers });
      let ev = (list.json().items as Array<{ id: string; trackingCode: string; version: number }>).find((x) => x.trackingCode === id)!;
      const steps: Array<[string, Record<string, string>]> = [
        ['dispatcher', { action: 'dispatch', department: 'CGJ' }], ['handler', { action: 'accept' }],
        ['handler', { action: 'report_result', note: 'cleared' }], ['dispatcher', { action: 'close' }],
      ];
      for (const [role, body] of steps) {
        const r = await city.app.inject({ method: 'POST', url: `/api/v1/events/${ev.id}/actions`, headers: who[role]!.headers, payload: { ...body, expectedVersion: ev.version } });
        expect(r.statusCode, r.body).toBe(200);
        ev = r.json();
        const status = (await get(`${V2}/requests/${id}.json`)).json()[0].status as string;
        expect(status).toBe(body.action === 'dispatch' || body.action === 'accept' ? 'open' : 'closed');
      }
      expect(await (async () => (await get(`${V2}/requests.json?status=closed&service_code=GARBAGE`)).json().map((r: { service_request_id: string }) => r.service_request_id))()).toContain(id);
    });
  });
}

suite('Open311 GeoReport v2 (SQLite)', false);
const pgUp = await serviceAvailable('postgres', TEST_PG_URL);
describe.skipIf(!pgUp)('PostgreSQL', () => suite('Open311 GeoReport v2 (PostgreSQL)', true));
