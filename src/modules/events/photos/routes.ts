/** HTTP for event photos: raw-body upload, listing, serving (stripped copy or, for staff, the original) and public tracking. */
import type { IncomingMessage } from 'node:http';
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import { principalOf, type App } from '../../../platform/http/app.js';
import type { Principal } from '../../../platform/auth/roles.js';
import { mayReadOriginal, tooLarge, type PhotoService } from './service.js';
import { PHOTO_STAGES, type Photo } from './types.js';

const TAGS = ['events'];
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const PhotoId = Type.Object({ photoId: Type.String({ minLength: 1, maxLength: 100 }) });
const Code = Type.String({ minLength: 1, maxLength: 32 });
const SEES_EVENTS = ['admin', 'dispatcher', 'handler', 'grid_worker', 'citizen', 'leader'] as const;

function photoWire(ph: Photo, url: string) {
  return { id: ph.id, stage: ph.stage, contentType: ph.contentType, url, createdAt: toIso(ph.createdAt) };
}

function staffWire(ph: Photo, p: Principal) {
  const url = `/api/v1/photos/${ph.id}`;
  return { ...photoWire(ph, url), bytes: ph.bytes, publicBytes: ph.publicBytes, uploaderId: ph.uploaderId, ...(mayReadOriginal(p) ? { originalUrl: `${url}?original=1` } : {}) };
}

/** Read the raw body, refusing it as soon as it passes the limit (before buffering it all). */
async function readLimited(req: { headers: Record<string, string | string[] | undefined> }, payload: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of payload) {
    const chunk = Buffer.from(c as Buffer);
    size += chunk.length;
    if (size > max) throw tooLarge(max);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function registerPhotoRoutes(app: App, photos: PhotoService, maxBytes: number) {
  // Encapsulated: the raw image parser applies to these routes only.
  return app.register(async (sub: App) => {
    sub.addContentTypeParser(/^image\/.*/, async (req: { headers: Record<string, string | string[] | undefined> }, payload: IncomingMessage) => readLimited(req, payload, maxBytes));

    sub.post('/api/v1/events/:id/photos', {
      config: { access: ['citizen', 'grid_worker', 'handler', 'dispatcher', 'admin'] },
      schema: {
        tags: TAGS,
        summary: 'Add a photo to an event (raw image body: image/jpeg, image/png or image/webp)',
        description: `The body is the image itself. Its magic bytes must match the Content-Type (415 PHOTO_TYPE_MISMATCH; other types 415 UNSUPPORTED_PHOTO_TYPE); at most ${maxBytes} bytes (413 PHOTO_TOO_LARGE); at most 10 per event (409 TOO_MANY_PHOTOS). The original is kept for staff; everyone else gets a copy without Exif/GPS, XMP and text metadata. stage=result marks a handler's proof of the work (staff only). Citizens: their own reports; handlers: their department's events.`,
        params: Id,
        querystring: Type.Object({ stage: Type.Optional(Type.Union(PHOTO_STAGES.map((s) => Type.Literal(s)), { default: 'report' })) }),
      },
    }, async (req, reply) => {
      const body = req.body;
      const ph = await photos.upload(req.params.id, {
        contentType: Buffer.isBuffer(body) ? req.headers['content-type'] : undefined,
        bytes: Buffer.isBuffer(body) ? body : new Uint8Array(),
        stage: req.query.stage ?? 'report',
      }, principalOf(req));
      return reply.status(201).send({ id: ph.id, url: `/api/v1/photos/${ph.id}`, stage: ph.stage, contentType: ph.contentType });
    });

    sub.get('/api/v1/events/:id/photos', {
      config: { access: SEES_EVENTS },
      schema: { tags: TAGS, summary: 'Photos of an event (url: without location metadata; originalUrl: as uploaded, staff only)', params: Id },
    }, async (req) => {
      const p = principalOf(req);
      return { items: (await photos.list(req.params.id, p)).map((ph) => staffWire(ph, p)) };
    });

    sub.get('/api/v1/photos/:photoId', {
      config: { access: SEES_EVENTS },
      schema: {
        tags: TAGS,
        summary: 'The image bytes of a photo: without location metadata, or the original (original=1: dispatchers, handlers, admins)',
        params: PhotoId,
        querystring: Type.Object({ original: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')])) }),
      },
    }, async (req, reply) => {
      const original = req.query.original === '1' || req.query.original === 'true';
      const { photo, bytes } = await photos.read(req.params.photoId, principalOf(req), original);
      return sendImage(reply, photo, bytes, 'private');
    });

    sub.get('/api/v1/track/:code/photos', {
      config: { access: 'public' },
      schema: { tags: TAGS, summary: 'Photos of a tracked report, without location metadata', params: Type.Object({ code: Code }) },
    }, async (req) => {
      const { trackingCode, photos: list } = await photos.listByCode(req.params.code);
      return { items: list.map((ph) => photoWire(ph, `/api/v1/track/${trackingCode}/photos/${ph.id}`)) };
    });

    sub.get('/api/v1/track/:code/photos/:photoId', {
      config: { access: 'public' },
      schema: { tags: TAGS, summary: 'One photo of a tracked report, without location metadata', params: Type.Object({ code: Code, photoId: Type.String({ minLength: 1, maxLength: 100 }) }) },
    }, async (req, reply) => {
      const { photo, bytes } = await photos.readByCode(req.params.code, req.params.photoId);
      return sendImage(reply, photo, bytes, 'public');
    });
  });
}

function sendImage(reply: { header(k: string, v: string): unknown; type(t: string): unknown; send(b: Buffer): unknown }, photo: Photo, bytes: Buffer, cache: 'public' | 'private') {
  reply.type(photo.contentType);
  // Never let a browser reinterpret stored bytes as something runnable.
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-security-policy', "default-src 'none'");
  reply.header('cache-control', `${cache}, max-age=300`);
  return reply.send(bytes);
}
