/** Tiny JPEG / PNG / WebP byte arrays with location metadata, built by hand for the photo tests. */
const bytes = (s: string) => [...Buffer.from(s, 'latin1')];
const u16be = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const segment = (marker: number, body: number[]) => [0xff, marker, ...u16be(body.length + 2), ...body];

/** Fake Exif payload: the header plus a "GPS" IFD marker and coordinates in text. */
export const EXIF_BODY = [...bytes('Exif\0\0MM\0*'), ...bytes('GPSLatitude 42.5063 GPSLongitude 1.5218')];

/** SOI, APP0 JFIF, APP1 Exif (GPS), APP1 XMP, COM, DQT, SOS + scan bytes, EOI. */
export function jpegWithExif(scan: number[] = [0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]): Uint8Array {
  return Uint8Array.from([
    0xff, 0xd8,
    ...segment(0xe0, bytes('JFIF\0\x01\x01\0\0\x01\0\x01\0\0')),
    ...segment(0xe1, EXIF_BODY),
    ...segment(0xe1, bytes('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude="42.5"/>')),
    ...segment(0xfe, bytes('taken at 12 Main St')),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xda, [1, 1, 0, 0, 63, 0]),
    ...scan,
    0xff, 0xd9,
  ]);
}

function crc32(b: number[]): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
const chunk = (type: string, data: number[]) => [...u32be(data.length), ...bytes(type), ...data, ...u32be(crc32([...bytes(type), ...data]))];

/** Signature, IHDR, eXIf (GPS), tEXt, IDAT, IEND. */
export function pngWithExif(): Uint8Array {
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk('IHDR', [...u32be(1), ...u32be(1), 8, 0, 0, 0, 0]),
    ...chunk('eXIf', EXIF_BODY.slice(6)),
    ...chunk('tEXt', bytes('Comment\0GPS 42.5,1.52')),
    ...chunk('IDAT', [0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]),
    ...chunk('IEND', []),
  ]);
}

const riffChunk = (type: string, data: number[]) => [...bytes(type), ...u32le(data.length), ...data, ...(data.length % 2 ? [0] : [])];

/** RIFF/WEBP with VP8X (EXIF and XMP flags set), VP8L image data, EXIF (odd length: padded) and XMP. */
export function webpWithExif(): Uint8Array {
  const body = [
    ...bytes('WEBP'),
    ...riffChunk('VP8X', [0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ...riffChunk('VP8L', [0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00]),
    ...riffChunk('EXIF', EXIF_BODY.slice(6, 6 + 25)),
    ...riffChunk('XMP ', bytes('<x:xmpmeta GPSLatitude="42.5"/>')),
  ];
  return Uint8Array.from([...bytes('RIFF'), ...u32le(body.length), ...body]);
}
