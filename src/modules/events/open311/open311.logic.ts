/**
 * Open311 GeoReport v2 mapping (SPEC E8): taxonomy categories as services,
 * city events as service requests, a POST's parameters as an intake, and the
 * GET filters. Pure: the caller passes the taxonomy, the events and now.
 * service_request_id is the event's public tracking code (what a citizen
 * already sees), never the internal id; personal data never leaves here.
 */
import { badRequest } from '../../../platform/errors.js';
import type { Taxonomy, TaxonomyCategory } from '../timelimits.logic.js';
import type { CityEvent, EventState, ReporterContact } from '../types.js';
import type { IntakeInput } from '../intake.logic.js';

const DAY = 86_400_000;
export const MAX_SPAN_DAYS = 90;
export const MAX_RESULTS = 1000;
export const MAX_DESCRIPTION = 4000;

/** Open311 has two statuses; a reported result counts as closed (the work is done, only the rating is pending). */
export const OPEN_STATES: EventState[] = ['received', 'dispatched', 'in_progress'];
export const CLOSED_STATES: EventState[] = ['result_reported', 'rated', 'closed'];

type Category = TaxonomyCategory & { class?: string };
export type Locale = 'zh' | 'en';

export function serviceOf(c: Category, locale: Locale) {
  const [name, other] = locale === 'en' ? [c.en, c.zh] : [c.zh, c.en];
  return {
    service_code: c.code, service_name: name, description: `${name} (${other})`, metadata: false, type: 'realtime',
    keywords: [c.zh, c.en].join(', '), group: c.class ?? 'event',
  };
}

export const servicesOf = (tax: Taxonomy, locale: Locale) => tax.categories.map((c) => serviceOf(c, locale));

export function requestOf(e: CityEvent, tax: Taxonomy, locale: Locale) {
  const cat = tax.categories.find((c) => c.code === e.category);
  const dept = tax.departments.find((d) => d.code === e.leadDepartment);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    service_request_id: e.trackingCode, status: CLOSED_STATES.includes(e.state) ? 'closed' : 'open', status_notes: e.state,
    service_name: cat ? (locale === 'en' ? cat.en : cat.zh) : e.category, service_code: e.category, description: e.text,
    agency_responsible: dept ? (locale === 'en' ? dept.en : dept.zh) : e.leadDepartment, service_notice: null,
    requested_datetime: iso(e.createdAt), updated_datetime: iso(e.updatedAt), expected_datetime: iso(e.deadlineAt),
    address: e.address, address_id: null, zipcode: null,
    lat: e.location ? e.location.coordinates[1] : null, long: e.location ? e.location.coordinates[0] : null, media_url: null,
  };
}

const str = (v: unknown): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s === 'number') return String(s);
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
};

/** A POST's parameters as an event intake; 400 naming the missing or bad parameter. */
export function intakeOf(p: Record<string, unknown>, tax: Taxonomy): { code: string; intake: IntakeInput } {
  const code = str(p.service_code);
  if (code === undefined) throw badRequest('SERVICE_CODE_REQUIRED', 'service_code is required');
  const lat = str(p.lat);
  const long = str(p.long);
  const address = str(p.address_string) ?? (str(p.address_id) !== undefined ? `address_id ${str(p.address_id)}` : undefined);
  if ((lat === undefined) !== (long === undefined)) throw badRequest('LOCATION_REQUIRED', 'lat and long go together: send both, or address_string / address_id');
  if (lat === undefined && address === undefined) throw badRequest('LOCATION_REQUIRED', 'A location is required: lat and long, or address_string, or address_id');
  let location: IntakeInput['location'];
  if (lat !== undefined && long !== undefined) {
    const [y, x] = [Number(lat), Number(long)];
    if (!Number.isFinite(y) || !Number.isFinite(x)) throw badRequest('BAD_COORDINATES', 'lat and long must be decimal degrees (WGS84)');
    location = { type: 'Point', coordinates: [x, y] };
  }
  const description = str(p.description);
  if (description !== undefined && [...description].length > MAX_DESCRIPTION) throw badRequest('DESCRIPTION_TOO_LONG', `description is longer than ${MAX_DESCRIPTION} characters`);
  const cat = tax.categories.find((c) => c.code === code);
  // Open311 makes description optional; an event needs text, so the service's name stands in.
  const text = description ?? (cat ? `${cat.zh} (${cat.en})` : code);
  return { code, intake: { text, category: code, channel: 'api', location, address } };
}

const MAX_CONTACT_FIELD = 200;
const CONTACT_FIELDS = [
  ['first_name', 'firstName'], ['last_name', 'lastName'], ['email', 'email'], ['phone', 'phone'], ['device_id', 'deviceId'], ['account_id', 'accountId'],
] as const;

/**
 * A POST's personal fields (first_name, last_name, email, phone, device_id,
 * account_id), to be stored privately with the event; undefined when none
 * was sent. 400 naming the field that is too long or not an e-mail address.
 */
export function contactOf(p: Record<string, unknown>): ReporterContact | undefined {
  const c: ReporterContact = { firstName: null, lastName: null, email: null, phone: null, deviceId: null, accountId: null };
  let any = false;
  for (const [param, key] of CONTACT_FIELDS) {
    const v = str(p[param]);
    if (v === undefined) continue;
    if ([...v].length > MAX_CONTACT_FIELD) throw badRequest('BAD_CONTACT', `${param} is longer than ${MAX_CONTACT_FIELD} characters`);
    c[key] = v;
    any = true;
  }
  if (c.email !== null && !/^[^\s@]+@[^\s@]+$/.test(c.email)) throw badRequest('BAD_EMAIL', 'email must be an e-mail address such as name@example.org');
  return any ? c : undefined;
}

export interface RequestQuery {
  ids?: string[];
  category?: string;
  states?: EventState[];
  from: number;
  to: number;
}

function parseDate(v: string, name: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw badRequest('BAD_DATE', `${name} must be an ISO-8601 date-time such as 2026-11-01T00:00:00Z`);
  return ms;
}

/** GET /requests filters: ids override the rest; the window defaults to the last 90 days and may not exceed 90 days. */
export function requestQueryOf(q: Record<string, unknown>, now: number): RequestQuery {
  const ids = str(q.service_request_id);
  if (ids !== undefined) {
    const list = [...new Set(ids.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean))];
    if (list.length > MAX_RESULTS) throw badRequest('TOO_MANY_IDS', `At most ${MAX_RESULTS} service_request_id values`);
    return { ids: list, from: 0, to: now };
  }
  const status = str(q.status);
  if (status !== undefined && status !== 'open' && status !== 'closed') throw badRequest('BAD_STATUS', 'status must be open or closed');
  const start = str(q.start_date);
  const end = str(q.end_date);
  let to = end !== undefined ? parseDate(end, 'end_date') : undefined;
  let from = start !== undefined ? parseDate(start, 'start_date') : undefined;
  if (from === undefined) from = (to ?? now) - MAX_SPAN_DAYS * DAY;
  if (to === undefined) to = start !== undefined ? from + MAX_SPAN_DAYS * DAY : now;
  if (from > to) throw badRequest('BAD_DATE_RANGE', 'start_date must be before end_date');
  if (to - from > MAX_SPAN_DAYS * DAY) throw badRequest('DATE_RANGE_TOO_LONG', `start_date to end_date may span at most ${MAX_SPAN_DAYS} days`);
  return { category: str(q.service_code), states: status === undefined ? undefined : status === 'open' ? OPEN_STATES : CLOSED_STATES, from, to };
}
