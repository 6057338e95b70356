/**
 * Photo bytes, pure: recognise JPEG / PNG / WebP by their magic bytes and
 * remove the metadata that can place a reporter (Exif with GPS, XMP, text
 * chunks) by walking the container structure, leaving the image data intact.
 */
import { AppError } from '../../../platform/errors.js';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
const corrupt = (what: string) => new AppError(400, 'PHOTO_CORRUPT', `The ${what} file is damaged or truncated; send the photo again as taken`);

/** The image type the bytes really are, or null when they are none of the accepted ones. */
export function sniffPhotoType(b: Uint8Array): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  return null;
}

/** A copy of the photo without location-bearing metadata. */
export function stripMetadata(b: Uint8Array, type: PhotoType): Uint8Array {
  if (type === 'image/jpeg') return stripJpeg(b);
  if (type === 'image/png') return stripPng(b);
  return stripWebp(b);
}

// APP1 holds Exif (with GPS) and XMP; APP13 holds Photoshop/IPTC (can hold places); COM is free text.
const JPEG_DROP = new Set([0xe1, 0xed, 0xfe]);

/** Walk the JPEG marker segments up to the first scan; drop APP1/APP13/COM; copy the scan data verbatim. */
export function stripJpeg(b: Uint8Array): Uint8Array {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw corrupt('JPEG');
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i >= b.length || b[i] !== 0xff) throw corrupt('JPEG');
    while (i < b.length && b[i] === 0xff) i++; // fill bytes before a marker
    if (i >= b.length) throw corrupt('JPEG');
    const marker = b[i] as number;
    i++;
    if (marker === 0xd9) { // EOI before any scan: nothing more to copy
      parts.push(Uint8Array.of(0xff, 0xd9));
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { // standalone markers have no length
      parts.push(Uint8Array.of(0xff, marker));
      continue;
    }
    if (i + 2 > b.length) throw corrupt('JPEG');
    const len = ((b[i] as number) << 8) | (b[i + 1] as number);
    if (len < 2 || i + len > b.length) throw corrupt('JPEG');
    const end = i + len;
    if (marker === 0xda) { // start of scan: the rest is entropy-coded image data and EOI
      parts.push(Uint8Array.of(0xff, marker), b.subarray(i));
      break;
    }
    if (!JPEG_DROP.has(marker)) parts.push(Uint8Array.of(0xff, marker), b.subarray(i, end));
    i = end;
  }
  return concat(parts);
}

const PNG_DROP = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt']);

/** Copy PNG chunks up to IEND, dropping eXIf and the text chunks; anything after IEND goes too. */
export function stripPng(b: Uint8Array): Uint8Array {
  if (sniffPhotoType(b) !== 'image/png') throw corrupt('PNG');
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let i = 8;
  for (;;) {
    if (i + 12 > b.length) throw corrupt('PNG');
    const len = readU32BE(b, i);
    const type = ascii(b, i + 4, 4);
    const end = i + 12 + len;
    if (end > b.length) throw corrupt('PNG');
    if (!PNG_DROP.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return concat(parts);
}

const WEBP_DROP = new Set(['EXIF', 'XMP ']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

/** Copy WebP chunks without EXIF and XMP, clear their VP8X flags and write the new RIFF size. */
export function stripWebp(b: Uint8Array): Uint8Array {
  if (sniffPhotoType(b) !== 'image/webp') throw corrupt('WebP');
  const riffEnd = Math.min(b.length, 8 + readU32LE(b, 4));
  const parts: Uint8Array[] = [];
  let i = 12;
  while (i + 8 <= riffEnd) {
    const type = ascii(b, i, 4);
    const len = readU32LE(b, i + 4);
    const end = i + 8 + len + (len & 1);
    if (i + 8 + len > riffEnd) throw corrupt('WebP');
    if (!WEBP_DROP.has(type)) {
      const chunk = b.slice(i, Math.min(end, riffEnd));
      if (type === 'VP8X' && len >= 1) chunk[8] = (chunk[8] as number) & ~(VP8X_EXIF | VP8X_XMP);
      parts.push(chunk);
    }
    i = end;
  }
  const body = concat(parts);
  const out = new Uint8Array(12 + body.length);
  out.set(b.subarray(0, 12));
  writeU32LE(out, 4, 4 + body.length);
  out.set(body, 12);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const readU32BE = (b: Uint8Array, at: number) => (((b[at] as number) << 24) >>> 0) + ((b[at + 1] as number) << 16) + ((b[at + 2] as number) << 8) + (b[at + 3] as number);
const readU32LE = (b: Uint8Array, at: number) => (b[at] as number) + ((b[at + 1] as number) << 8) + ((b[at + 2] as number) << 16) + (((b[at + 3] as number) << 24) >>> 0);

function writeU32LE(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
