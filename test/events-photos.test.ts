/**
 * Event photos over HTTP on SQLite and PostgreSQL: upload by the reporter, type and size
 * checks, who may add and read, and the public tracking view serving only
 * the copy without location metadata while staff can fetch the original.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif, pngWithExif, webpWithExif } from '../src/modules/events/photos/photo-bytes.fixture.js';
import { serviceAvailable, TEST_PG_URL } from '../src/platform/testing/services.js';
import { principalsFor, TEST_PASSWORD, type TestPrincipal } from './helpers/auth.js';
import { startTestCity, type TestCity } from './helpers/city.js';

const MAX = 4096;
const pgUp = await serviceAvailable('PostgreSQL', TEST_PG_URL);
type Who = Awaited<ReturnType<typeof principalsFor>>;

describe.each([{ name: 'sqlite', postgres: false }, { name: 'postgres', postgres: true }])('event photos on $name', (t) => {
  const skip = t.postgres && !pgUp;
  let city: TestCity;
  let who: Who;
  let other: TestPrincipal;
  let eventId: string;
  let trackingCode: string;

  const upload = async (p: TestPrincipal | undefined, id: string, body: Uint8Array | string, type: string, query = '') => {
    const res = await city.app.inject({ method: 'POST', url: `/api/v1/events/${id}/photos${query}`, headers: { ...(p?.headers ?? {}), 'content-type': type }, payload: Buffer.from(body) });
    return { status: res.statusCode, body: res.json() as { id: string; url: string; error?: { code: string } } };
  };
  const get = (p: TestPrincipal | undefined, url: string) => city.app.inject({ method: 'GET', url, headers: p?.headers ?? {} });

  beforeAll(async () => {
    if (skip) return;
    city = await startTestCity({ postgres: t.postgres, config: { photoMaxBytes: MAX } });
    await city.start();
    who = await principalsFor(city);
    await city.services.auth.createUser({ username: 'other_citizen', password: TEST_PASSWORD, displayName: 'Other', roles: ['citizen'], department: null }, 'test');
    const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'other_citizen', password: TEST_PASSWORD } });
    const u = await city.services.auth.findUser('other_citizen');
    other = { id: u?.id ?? '', headers: { authorization: `Bearer ${(login.json() as { token: string }).token}` } };
    const r = await city.app.inject({ method: 'POST', url: '/api/v1/events', headers: who.citizen.headers, payload: { text: '人民路上井盖没了，晚上很危险', category: 'MANHOLE', location: { type: 'Point', coordinates: [1.52, 42.51] } } });
    expect(r.statusCode).toBe(201);
    ({ id: eventId, trackingCode } = r.json() as { id: string; trackingCode: string });
  });
  afterAll(async () => { if (!skip) await city.destroy(); });

  it.skipIf(skip)('lets the reporter upload a JPEG; the public tracking view serves it without Exif/GPS, staff get the original', async () => {
    const jpeg = jpegWithExif();
    const up = await upload(who.citizen, eventId, jpeg, 'image/jpeg');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.url).toBe(`/api/v1/photos/${up.body.id}`);

    const list = (await get(undefined, `/api/v1/track/${trackingCode}/photos`)).json() as { items: Array<{ id: string; url: string; stage: string }> };
    expect(list.items.map((i) => [i.id, i.stage])).toEqual([[up.body.id, 'report']]);
    const pub = await get(undefined, list.items[0]?.url ?? '');
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toBe('image/jpeg');
    expect(pub.headers['x-content-type-options']).toBe('nosniff');
    const pubText = pub.rawPayload.toString('latin1');
    expect(pubText).not.toContain('Exif');
    expect(pubText).not.toContain('GPS');
    expect([...pub.rawPayload.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...pub.rawPayload.subarray(-2)]).toEqual([0xff, 0xd9]);

    const mine = await get(who.citizen, up.body.url);
    expect(mine.statusCode).toBe(200);
    expect(mine.rawPayload.toString('latin1')).not.toContain('GPS');
    expect((await get(who.citizen, `${up.body.url}?original=1`)).statusCode).toBe(403);

    for (const staff of [who.dispatcher, who.handler, who.admin]) {
      const orig = await get(staff, `${up.body.url}?original=1`);
      expect(orig.statusCode).toBe(200);
      expect(Buffer.compare(orig.rawPayload, Buffer.from(jpeg))).toBe(0);
    }
    const staffList = (await get(who.dispatcher, `/api/v1/events/${eventId}/photos`)).json() as { items: Array<{ originalUrl?: string }> };
    expect(staffList.items[0]?.originalUrl).toBe(`${up.body.url}?original=1`);
    const citizenList = (await get(who.citizen, `/api/v1/events/${eventId}/photos`)).json() as { items: Array<{ originalUrl?: string }> };
    expect(citizenList.items[0]?.originalUrl).toBeUndefined();
  });

  it.skipIf(skip)('strips PNG and WebP metadata too, and marks a handler\'s result photo', async () => {
    const png = await upload(who.citizen, eventId, pngWithExif(), 'image/png');
    expect(png.status).toBe(201);
    const webp = await upload(who.handler, eventId, webpWithExif(), 'image/webp', '?stage=result');
    expect(webp.status, JSON.stringify(webp.body)).toBe(201);
    for (const id of [png.body.id, webp.body.id]) {
      const res = await get(undefined, `/api/v1/track/${trackingCode}/photos/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.toString('latin1')).not.toMatch(/GPS|eXIf|EXIF|XMP/);
    }
    const list = (await get(who.dispatcher, `/api/v1/events/${eventId}/photos`)).json() as { items: Array<{ id: string; stage: string }> };
    expect(list.items.find((i) => i.id === webp.body.id)?.stage).toBe('result');
    expect((await upload(who.citizen, eventId, pngWithExif(), 'image/png', '?stage=result')).status).toBe(403);
  });

  it.skipIf(skip)('refuses wrong types, oversized bodies and strangers with clear 4xx codes, storing nothing', async () => {
    const before = ((await get(who.admin, `/api/v1/events/${eventId}/photos`)).json() as { items: unknown[] }).items.length;
    const mismatch = await upload(who.citizen, eventId, pngWithExif(), 'image/jpeg');
    expect([mismatch.status, mismatch.body.error?.code]).toEqual([415, 'PHOTO_TYPE_MISMATCH']);
    const gif = await upload(who.citizen, eventId, 'GIF89a\x01\x00\x01\x00', 'image/gif');
    expect([gif.status, gif.body.error?.code]).toEqual([415, 'UNSUPPORTED_PHOTO_TYPE']);
    const notImage = await upload(who.citizen, eventId, '<svg onload="alert(1)"/>', 'image/png');
    expect([notImage.status, notImage.body.error?.code]).toEqual([415, 'UNSUPPORTED_PHOTO_TYPE']);
    const big = await upload(who.citizen, eventId, Uint8Array.from([...jpegWithExif(), ...new Uint8Array(MAX)]), 'image/jpeg');
    expect([big.status, big.body.error?.code]).toEqual([413, 'PHOTO_TOO_LARGE']);
    const json = await city.app.inject({ method: 'POST', url: `/api/v1/events/${eventId}/photos`, headers: who.citizen.headers, payload: {} });
    expect(json.statusCode).toBe(415);

    const stranger = await upload(other, eventId, jpegWithExif(), 'image/jpeg');
    const foreign = await city.services.auth.createUser({ username: `h_swj_${t.name}`, password: TEST_PASSWORD, displayName: 'SWJ handler', roles: ['handler'], department: 'SWJ' }, 'test');
    const fl = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `h_swj_${t.name}`, password: TEST_PASSWORD } });
    const otherDept = { id: foreign.id, headers: { authorization: `Bearer ${(fl.json() as { token: string }).token}` } };
    // another department's handler cannot see the event at all (404, not 403)
    expect((await upload(otherDept, eventId, jpegWithExif(), 'image/jpeg')).status).toBe(404);
    expect(stranger.status).toBe(404);
    expect((await get(other, `/api/v1/events/${eventId}/photos`)).statusCode).toBe(404);
    const anyPhoto = ((await get(who.admin, `/api/v1/events/${eventId}/photos`)).json() as { items: Array<{ url: string }> }).items[0];
    expect((await get(other, anyPhoto?.url ?? '')).statusCode).toBe(404);
    expect((await get(undefined, `/api/v1/track/NOSUCHCODE/photos`)).statusCode).toBe(404);
    expect((await upload(undefined, eventId, jpegWithExif(), 'image/jpeg')).status).toBe(401);

    const after = ((await get(who.admin, `/api/v1/events/${eventId}/photos`)).json() as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });

  it.skipIf(skip)('caps the photos of one event', async () => {
    const r = await city.app.inject({ method: 'POST', url: '/api/v1/events', headers: who.dispatcher.headers, payload: { text: '人民路12号井盖破损', category: 'MANHOLE', location: { type: 'Point', coordinates: [1.52, 42.51] } } });
    expect(r.statusCode, r.body).toBe(201);
    const id = (r.json() as { id: string }).id;
    for (let i = 0; i < 10; i++) expect((await upload(who.dispatcher, id, pngWithExif(), 'image/png')).status).toBe(201);
    const over = await upload(who.dispatcher, id, pngWithExif(), 'image/png');
    expect([over.status, over.body.error?.code]).toEqual([409, 'TOO_MANY_PHOTOS']);
  });
});
