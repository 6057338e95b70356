/**
 * Validation of an incoming report (SPEC E1): text, category, channel,
 * location and address, with a 400 and a clear code for each kind of bad
 * input. Text is kept verbatim (HTML included): it is data, never markup.
 */
import { badRequest } from '../../platform/errors.js';
import { parsePoint, type Point } from '../../platform/geo/index.js';
import { EVENT_CHANNELS, type EventChannel } from './types.js';

export const MAX_TEXT = 4000;
export const MAX_ADDRESS = 500;

/** A report as it arrives on the wire. */
export interface IntakeInput {
  text?: unknown;
  category?: unknown;
  urgent?: unknown;
  channel?: unknown;
  location?: unknown;
  address?: unknown;
}

export interface ValidIntake {
  text: string;
  category?: string;
  urgent?: boolean;
  channel?: EventChannel;
  location?: Point;
  address?: string;
}

export function validateIntake(raw: IntakeInput): ValidIntake {
  if (typeof raw.text !== 'string' || raw.text.trim() === '') throw badRequest('EMPTY_TEXT', 'Describe the problem: "text" must not be empty');
  if ([...raw.text].length > MAX_TEXT) throw badRequest('TEXT_TOO_LONG', `"text" is longer than ${MAX_TEXT} characters; shorten it`);
  const out: ValidIntake = { text: raw.text };
  if (raw.category !== undefined && raw.category !== null) {
    if (typeof raw.category !== 'string' || raw.category.trim() === '') throw badRequest('UNKNOWN_CATEGORY', '"category" must be a category code such as "MANHOLE"');
    out.category = raw.category.trim();
  }
  if (raw.urgent !== undefined && raw.urgent !== null) {
    if (typeof raw.urgent !== 'boolean') throw badRequest('BAD_URGENT', '"urgent" must be true or false');
    out.urgent = raw.urgent;
  }
  if (raw.channel !== undefined && raw.channel !== null) {
    if (!EVENT_CHANNELS.includes(raw.channel as EventChannel)) throw badRequest('BAD_CHANNEL', `"channel" must be one of ${EVENT_CHANNELS.join(', ')}`);
    out.channel = raw.channel as EventChannel;
  }
  if (raw.location !== undefined && raw.location !== null) out.location = parsePoint(raw.location);
  if (raw.address !== undefined && raw.address !== null) {
    if (typeof raw.address !== 'string' || raw.address.length > MAX_ADDRESS) throw badRequest('BAD_ADDRESS', `"address" must be text of at most ${MAX_ADDRESS} characters`);
    if (raw.address.trim() !== '') out.address = raw.address.trim();
  }
  if (!out.location && !out.address) throw badRequest('LOCATION_REQUIRED', 'Say where: a map pin ("location": GeoJSON Point [lon, lat]) or an "address"');
  return out;
}
