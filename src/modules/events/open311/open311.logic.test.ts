/** Unit tests of the Open311 mapping: POST parameters, GET filters and the XML serializer. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { loadTaxonomy } from '../index.js';
import { splitFormat, toXml } from './format.logic.js';
import { intakeOf, requestQueryOf } from './open311.logic.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);
const tax = loadTaxonomy();
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
  return 'ok';
};

describe('intakeOf', () => {
  it('maps lat/long to a GeoJSON point (longitude first) and names the service when there is no description', () => {
    const { code, intake } = intakeOf({ service_code: 'NOISE', lat: '42.5', long: '1.5' }, tax);
    expect(code).toBe('NOISE');
    expect(intake).toMatchObject({ category: 'NOISE', channel: 'api', location: { type: 'Point', coordinates: [1.5, 42.5] } });
    expect(intake.text).toContain('噪音');
  });
  it('accepts an address instead of a pin, and refuses half a pin or none', () => {
    expect(intakeOf({ service_code: 'NOISE', address_string: ' 人民路 ' }, tax).intake.address).toBe('人民路');
    expect(intakeOf({ service_code: 'NOISE', address_id: 'A7' }, tax).intake.address).toBe('address_id A7');
    expect(codeOf(() => intakeOf({ service_code: 'NOISE', long: '1' }, tax))).toBe('400 LOCATION_REQUIRED');
    expect(codeOf(() => intakeOf({ service_code: 'NOISE' }, tax))).toBe('400 LOCATION_REQUIRED');
    expect(codeOf(() => intakeOf({ lat: '1', long: '1' }, tax))).toBe('400 SERVICE_CODE_REQUIRED');
    expect(codeOf(() => intakeOf({ service_code: 'NOISE', lat: 'north', long: '1' }, tax))).toBe('400 BAD_COORDINATES');
    expect(codeOf(() => intakeOf({ service_code: 'NOISE', lat: '1', long: '1', description: '字'.repeat(4001) }, tax))).toBe('400 DESCRIPTION_TOO_LONG');
    expect(codeOf(() => intakeOf({ service_code: 'NOISE', lat: '1', long: '1', description: '字'.repeat(4000) }, tax))).toBe('ok');
  });
});

describe('requestQueryOf', () => {
  it('defaults to the last 90 days', () => {
    expect(requestQueryOf({}, NOW)).toMatchObject({ from: NOW - 90 * DAY, to: NOW });
  });
  it('lets ids override everything else', () => {
    expect(requestQueryOf({ service_request_id: 'ab, CD,ab', status: 'nonsense' }, NOW)).toEqual({ ids: ['AB', 'CD'], from: 0, to: NOW });
  });
  it('fills a missing end or start from the other, and refuses more than 90 days or a reversed window', () => {
    const start = new Date(NOW - 200 * DAY).toISOString();
    expect(requestQueryOf({ start_date: start }, NOW)).toMatchObject({ from: NOW - 200 * DAY, to: NOW - 110 * DAY });
    expect(requestQueryOf({ end_date: start }, NOW)).toMatchObject({ from: NOW - 290 * DAY, to: NOW - 200 * DAY });
    expect(codeOf(() => requestQueryOf({ start_date: start, end_date: new Date(NOW).toISOString() }, NOW))).toBe('400 DATE_RANGE_TOO_LONG');
    expect(codeOf(() => requestQueryOf({ start_date: new Date(NOW).toISOString(), end_date: start }, NOW))).toBe('400 BAD_DATE_RANGE');
    expect(codeOf(() => requestQueryOf({ start_date: 'last week' }, NOW))).toBe('400 BAD_DATE');
    expect(codeOf(() => requestQueryOf({ status: 'pending' }, NOW))).toBe('400 BAD_STATUS');
    expect(requestQueryOf({ status: 'closed' }, NOW).states).toEqual(['result_reported', 'rated', 'closed']);
  });
});

describe('XML', () => {
  it('escapes text, drops characters XML cannot hold, and wraps array items', () => {
    expect(toXml('errors', [{ code: 400, description: 'a<b & "c" \u0001' }, { code: 404, description: null }]))
      .toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code><description>a&lt;b &amp; &quot;c&quot; </description></error><error><code>404</code><description/></error></errors>');
  });
  it('reads the format from the extension only', () => {
    expect(splitFormat('AB12.XML')).toEqual({ name: 'AB12', format: 'xml' });
    expect(splitFormat('a.b.json')).toEqual({ name: 'a.b', format: 'json' });
    expect(splitFormat('AB12')).toBeNull();
    expect(splitFormat('.json')).toBeNull();
  });
});
