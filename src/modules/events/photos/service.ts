/**
 * Event photo use cases: upload (type by magic bytes, size, count, who may add
 * to this event), and reads that give the public only the copy without
 * location metadata and staff the original as well.
 */
import type { AuditLog } from '../../../platform/audit/types.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { Clock } from '../../../platform/clock.js';
import { AppError, conflict, forbidden, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import type { EventService } from '../service.js';
import type { CityEvent } from '../types.js';
import type { PhotoStore } from './store.js';
import { PHOTO_TYPES, sniffPhotoType, stripMetadata, type PhotoType } from './strip.logic.js';
import type { FileStore, Photo, PhotoStage } from './types.js';

export interface PhotoDeps {
  store: PhotoStore;
  files: FileStore;
  events: EventService;
  clock: Clock;
  audit: AuditLog;
  maxBytes: number;
  /** Most photos one event may hold (default 10). */
  maxPerEvent?: number;
}

export interface Upload {
  /** The declared Content-Type, as sent. */
  contentType: string | undefined;
  bytes: Uint8Array;
  stage: PhotoStage;
}

const has = (p: Principal, ...roles: string[]) => p.roles.some((r) => roles.includes(r));
/** Who may see originals, location metadata and all. */
export const mayReadOriginal = (p: Principal) => has(p, 'admin', 'dispatcher', 'handler');
const originalKey = (id: string) => `${id}.orig`;
const publicKey = (id: string) => `${id}.pub`;

export function tooLarge(maxBytes: number): AppError {
  return new AppError(413, 'PHOTO_TOO_LARGE', `A photo may be at most ${maxBytes} bytes; send a smaller or more compressed image`);
}

function unsupported(): AppError {
  return new AppError(415, 'UNSUPPORTED_PHOTO_TYPE', `Send the image bytes as the body with Content-Type ${PHOTO_TYPES.join(', ')}`);
}

/** Citizens add to their own reports; handlers to their department's events; grid workers, dispatchers, admins to any they see. */
function checkMayAdd(e: CityEvent, p: Principal, stage: PhotoStage): void {
  if (has(p, 'admin', 'dispatcher', 'grid_worker')) return;
  if (has(p, 'handler')) {
    if (p.department && p.department === e.leadDepartment) return;
    throw forbidden(`Only handlers of the lead department (${e.leadDepartment ?? 'none yet'}) may add photos to this event`);
  }
  if (stage === 'result') throw forbidden('Result photos come from the staff who did the work; use stage=report');
}

export function createPhotoService(d: PhotoDeps) {
  const maxPerEvent = d.maxPerEvent ?? 10;

  async function readable(id: string, p: Principal): Promise<Photo> {
    const photo = await d.store.get(id);
    if (!photo) throw notFound('PHOTO_NOT_FOUND', `No photo ${id}`);
    try {
      await d.events.get(photo.eventId, p);
    } catch (err) {
      // Whoever may not see the event learns nothing about its photos either.
      if (err instanceof AppError && err.status === 404) throw notFound('PHOTO_NOT_FOUND', `No photo ${id}`);
      throw err;
    }
    return photo;
  }

  return {
    async upload(eventId: string, u: Upload, p: Principal): Promise<Photo> {
      const { event } = await d.events.get(eventId, p);
      checkMayAdd(event, p, u.stage);
      const declared = (u.contentType ?? '').split(';')[0]?.trim().toLowerCase() as PhotoType;
      if (!PHOTO_TYPES.includes(declared)) throw unsupported();
      if (u.bytes.length === 0) throw new AppError(400, 'EMPTY_PHOTO', 'The body is empty; send the image bytes');
      if (u.bytes.length > d.maxBytes) throw tooLarge(d.maxBytes);
      const actual = sniffPhotoType(u.bytes);
      if (actual === null) throw new AppError(415, 'UNSUPPORTED_PHOTO_TYPE', `The body is not a JPEG, PNG or WebP image (declared ${declared})`);
      if (actual !== declared) throw new AppError(415, 'PHOTO_TYPE_MISMATCH', `The body is a ${actual} image but was declared ${declared}; send the matching Content-Type`);
      if ((await d.store.count(event.id)) >= maxPerEvent) throw conflict('TOO_MANY_PHOTOS', `An event holds at most ${maxPerEvent} photos`);
      const stripped = stripMetadata(u.bytes, actual);
      const photo: Photo = {
        id: newId('pho'), eventId: event.id, stage: u.stage, contentType: actual, bytes: u.bytes.length, publicBytes: stripped.length,
        uploaderId: p.id, createdAt: d.clock.now(),
      };
      try {
        await d.files.put(originalKey(photo.id), u.bytes);
        await d.files.put(publicKey(photo.id), stripped);
        await d.store.insert(photo);
      } catch (err) {
        // No half-written photo: files without a row are removed again.
        await Promise.allSettled([d.files.delete(originalKey(photo.id)), d.files.delete(publicKey(photo.id))]);
        throw err;
      }
      await d.audit.append({ actor: p, action: 'event.photo_added', targetType: 'event', targetId: event.id, details: { photoId: photo.id, stage: photo.stage, bytes: photo.bytes } });
      return photo;
    },

    async list(eventId: string, p: Principal): Promise<Photo[]> {
      const { event } = await d.events.get(eventId, p);
      return d.store.list(event.id);
    },

    /** The copy without metadata, or with original=true (staff only) the bytes as uploaded. */
    async read(id: string, p: Principal, original: boolean): Promise<{ photo: Photo; bytes: Buffer }> {
      const photo = await readable(id, p);
      if (original && !mayReadOriginal(p)) throw forbidden('Originals (with their location metadata) are for dispatchers, handlers and admins; leave out original=1');
      return { photo, bytes: await bytesOf(photo, original) };
    },

    /** Public: the photos of the event a tracking code follows. */
    async listByCode(code: string): Promise<{ trackingCode: string; photos: Photo[] }> {
      const { event } = await d.events.track(code);
      return { trackingCode: code.trim().toUpperCase(), photos: await d.store.list(event.id) };
    },

    /** Public: one photo of that event, always the copy without metadata. */
    async readByCode(code: string, id: string): Promise<{ photo: Photo; bytes: Buffer }> {
      const { event } = await d.events.track(code);
      const photo = await d.store.get(id);
      if (!photo || photo.eventId !== event.id) throw notFound('PHOTO_NOT_FOUND', `No photo ${id} on this report`);
      return { photo, bytes: await bytesOf(photo, false) };
    },
  };

  async function bytesOf(photo: Photo, original: boolean): Promise<Buffer> {
    const bytes = await d.files.get(original ? originalKey(photo.id) : publicKey(photo.id));
    if (!bytes) throw notFound('PHOTO_FILE_MISSING', `The file of photo ${photo.id} is missing from the file store`);
    return bytes;
  }
}

export type PhotoService = ReturnType<typeof createPhotoService>;
