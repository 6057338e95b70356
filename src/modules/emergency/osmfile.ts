/**
 * Reads an OpenStreetMap file from disk and streams its nodes and ways to a
 * callback, reporting bytes read. Binary .osm.pbf goes through
 * osm-pbf-parser-node, XML .osm through our saxes reader; the format is told by
 * the file's first bytes, not its name. Every way a file can be wrong (missing,
 * a directory, empty, compressed, not OSM, truncated, malformed) becomes a 400
 * that says what to fix.
 */
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { OSMTransform } from 'osm-pbf-parser-node';
import { AppError, badRequest } from '../../platform/errors.js';
import type { OsmElement } from './collect.logic.js';
import { FEATURE_KEYS } from './features.logic.js';
import { createOsmXmlReader } from './osmxml.logic.js';

/** Tags the road graph and the features need; the parsers drop the rest while reading. */
const KEEP_TAGS: readonly string[] = [...new Set([...FEATURE_KEYS, 'highway', 'area', 'maxspeed', 'oneway', 'junction', 'bridge', 'tunnel', 'ref'])];
const KEEP_TAG_SET: ReadonlySet<string> = new Set(KEEP_TAGS);

export type OsmFormat = 'pbf' | 'xml';

/** Throws 400 OSM_FILE_NOT_FOUND unless `file` is a readable regular file; returns its size. */
export function checkOsmFile(file: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw badRequest('OSM_FILE_NOT_FOUND', `No file at ${file}: give the path of an .osm.pbf or .osm file`);
  }
  if (!st.isFile()) throw badRequest('OSM_FILE_NOT_FOUND', `${file} is not a file: give the path of an .osm.pbf or .osm file`);
  return st.size;
}

/** Tell the format from the first bytes of the file. */
export function sniffFormat(head: Buffer): OsmFormat {
  if (head.length === 0) throw parseFailed('the file is empty');
  if (head[0] === 0x1f && head[1] === 0x8b) throw parseFailed('the file is gzip-compressed; decompress it first (gunzip)');
  if (head.subarray(0, 3).toString('latin1') === 'BZh') throw parseFailed('the file is bzip2-compressed; decompress it first (bunzip2)');
  // PBF: a 4-byte header length, then a BlobHeader whose type string comes first
  if (head.length > 8 && head.subarray(4, 64).includes('OSMHeader')) return 'pbf';
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) return 'xml';
  throw parseFailed('this is neither an OpenStreetMap .osm.pbf (binary) nor an .osm (XML) file');
}

function parseFailed(reason: string): AppError {
  return badRequest('OSM_PARSE_FAILED', `Cannot read the OpenStreetMap file: ${reason}`, { reason });
}

/** Passes bytes through unchanged, counting them. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

/**
 * Stream the file's nodes and ways to onElement. onBytes(read, total) follows
 * the reading. Throws 400 OSM_FILE_NOT_FOUND / OSM_PARSE_FAILED.
 */
export async function readOsmFile(file: string, onElement: (el: OsmElement) => void, onBytes?: (read: number, total: number) => void): Promise<OsmFormat> {
  const size = checkOsmFile(file);
  const head = Buffer.alloc(Math.min(size, 256));
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const format = sniffFormat(head);
  let read = 0;
  const counter = byteCounter((n) => {
    read += n;
    onBytes?.(read, size);
  });
  try {
    if (format === 'pbf') await readPbf(file, counter, onElement);
    else await readXml(file, counter, onElement);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw parseFailed(format === 'pbf' ? `corrupt or truncated .osm.pbf (${reason})` : `malformed OSM XML (${reason})`);
  }
  return format;
}

async function readPbf(file: string, counter: Transform, onElement: (el: OsmElement) => void): Promise<void> {
  const keep = [...KEEP_TAGS];
  const osm = new OSMTransform({ withTags: { node: keep, way: keep, relation: false }, withInfo: false });
  await pipeline(fs.createReadStream(file), counter, osm, async function (batches: AsyncIterable<unknown[]>) {
    for await (const batch of batches) {
      for (const item of batch) {
        const t = (item as { type?: string }).type;
        if (t === 'node' || t === 'way') onElement(item as OsmElement);
      }
    }
  });
}

async function readXml(file: string, counter: Transform, onElement: (el: OsmElement) => void): Promise<void> {
  const reader = createOsmXmlReader(onElement, KEEP_TAG_SET);
  const decoder = new StringDecoder('utf8');
  // pipeline() reports a sink's own error as a generic AbortError; keep the real reason
  let sinkError: unknown;
  try {
    await pipeline(fs.createReadStream(file), counter, async function (chunks: AsyncIterable<Buffer>) {
      try {
        for await (const chunk of chunks) reader.write(decoder.write(chunk));
        reader.write(decoder.end());
        reader.close();
      } catch (err) {
        sinkError = err;
        throw err;
      }
    });
  } catch (err) {
    throw sinkError ?? err;
  }
}
