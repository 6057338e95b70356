/** Metadata stripping and type sniffing over hand-built JPEG, PNG and WebP bytes. */
import { describe, expect, it } from 'vitest';
import { jpegWithExif, pngWithExif, webpWithExif } from './photo-bytes.fixture.js';
import { sniffPhotoType, stripJpeg, stripMetadata, stripPng, stripWebp } from './strip.logic.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const markers = (b: Uint8Array) => {
  const out: number[] = [];
  for (let i = 2; i < b.length;) {
    const m = b[i + 1] as number;
    out.push(m);
    if (m === 0xda) break;
    i += 2 + (((b[i + 2] as number) << 8) | (b[i + 3] as number));
  }
  return out;
};

describe('sniffPhotoType', () => {
  it('recognises each type by its magic bytes and nothing else', () => {
    expect(sniffPhotoType(jpegWithExif())).toBe('image/jpeg');
    expect(sniffPhotoType(pngWithExif())).toBe('image/png');
    expect(sniffPhotoType(webpWithExif())).toBe('image/webp');
    expect(sniffPhotoType(Buffer.from('GIF89a......'))).toBeNull();
    expect(sniffPhotoType(Buffer.from('<svg onload=alert(1)>'))).toBeNull();
    expect(sniffPhotoType(new Uint8Array())).toBeNull();
  });
});

describe('stripJpeg', () => {
  it('drops APP1 Exif/XMP and comments, keeps JFIF, tables and the scan byte for byte', () => {
    const scan = [0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0xe1, 0x47];
    const src = jpegWithExif(scan);
    expect(text(src)).toContain('GPS');
    const out = stripJpeg(src);
    expect(text(out)).not.toContain('Exif');
    expect(text(out)).not.toContain('GPS');
    expect(text(out)).not.toContain('Main St');
    expect([...out.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...out.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(markers(out)).toEqual([0xe0, 0xdb, 0xda]);
    const tail = [...src.subarray(src.length - scan.length - 2 - 8)];
    expect([...out.subarray(out.length - tail.length)]).toEqual(tail);
    expect(stripJpeg(out)).toEqual(out);
  });

  it('refuses a truncated segment with a 4xx, not a crash', () => {
    const src = jpegWithExif();
    expect(() => stripJpeg(src.subarray(0, 10))).toThrow(expect.objectContaining({ status: 400, code: 'PHOTO_CORRUPT' }));
    expect(() => stripJpeg(Uint8Array.of(0xff, 0xd8, 0x00, 0x00))).toThrow(expect.objectContaining({ code: 'PHOTO_CORRUPT' }));
  });
});

describe('stripPng', () => {
  it('drops eXIf and text chunks, keeps IHDR, IDAT and IEND', () => {
    const src = pngWithExif();
    expect(text(src)).toContain('GPS');
    const out = stripPng(src);
    expect(text(out)).not.toContain('eXIf');
    expect(text(out)).not.toContain('GPS');
    expect(text(out)).not.toContain('tEXt');
    expect([...out.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(text(out.subarray(-8, -4))).toBe('IEND');
    expect(text(out)).toContain('IHDR');
    expect(text(out)).toContain('IDAT');
  });

  it('drops whatever trails IEND and refuses truncation', () => {
    const src = pngWithExif();
    const padded = Uint8Array.from([...src, ...Buffer.from('GPS trailing')]);
    expect(text(stripPng(padded))).not.toContain('GPS');
    expect(() => stripPng(src.subarray(0, src.length - 6))).toThrow(expect.objectContaining({ code: 'PHOTO_CORRUPT' }));
  });
});

describe('stripWebp', () => {
  it('drops EXIF and XMP, clears their VP8X flags and rewrites the RIFF size', () => {
    const src = webpWithExif();
    const out = stripWebp(src);
    expect(text(out)).not.toContain('EXIF');
    expect(text(out)).not.toContain('GPS');
    expect(text(out)).not.toContain('XMP');
    expect(text(out.subarray(0, 4))).toBe('RIFF');
    expect(text(out.subarray(8, 12))).toBe('WEBP');
    expect(Buffer.from(out).readUInt32LE(4)).toBe(out.length - 8);
    expect((out[20] as number) & 0x0c).toBe(0);
    expect(text(out)).toContain('VP8L');
    expect(src[20]).toBe(0x0c); // the input is not modified
  });
});

describe('stripMetadata', () => {
  it('dispatches by type', () => {
    expect(stripMetadata(pngWithExif(), 'image/png')).toEqual(stripPng(pngWithExif()));
    expect(stripMetadata(jpegWithExif(), 'image/jpeg')).toEqual(stripJpeg(jpegWithExif()));
  });
});
