/**
 * OpenStreetMap XML (.osm) to elements: a streaming reader over saxes (a strict,
 * maintained SAX parser). Feed it text in chunks of any size; it calls back with
 * each complete node and way. Relations are skipped (the road graph needs none).
 * Pure: no I/O. Malformed XML or a document that is not <osm> throws an Error
 * whose message says where and what.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { OsmElement, OsmNodeElement, OsmWayElement } from './collect.logic.js';

export interface OsmXmlReader {
  write(chunk: string): void;
  /** Ends the document; throws when it is incomplete. */
  close(): void;
}

/** keepTags: only these tag keys are kept (memory), all when omitted. */
export function createOsmXmlReader(onElement: (el: OsmElement) => void, keepTags?: ReadonlySet<string>): OsmXmlReader {
  const parser = new SaxesParser({ xmlns: false, position: true });
  let sawRoot = false;
  let current: OsmNodeElement | OsmWayElement | null = null;
  let skipped = false;
  let depth = 0;

  const where = () => `line ${parser.line}`;
  const fail = (msg: string): never => {
    throw new Error(`${where()}: ${msg}`);
  };
  const attr = (tag: SaxesTagPlain, name: string): string => {
    const v = tag.attributes[name];
    if (v === undefined) fail(`<${tag.name}> has no ${name} attribute`);
    return v as string;
  };
  const numAttr = (tag: SaxesTagPlain, name: string, min: number, max: number): number => {
    const raw = attr(tag, name);
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) fail(`<${tag.name}> ${name}="${raw}" is not a number from ${min} to ${max}`);
    return n;
  };
  // JOSM files mark removed objects; they are not part of the map
  const isDeleted = (tag: SaxesTagPlain) => tag.attributes.action === 'delete' || tag.attributes.visible === 'false';

  parser.on('error', (err) => {
    throw new Error(err.message.replace(/^(\d+):(\d+): /, 'line $1, column $2: '));
  });

  parser.on('opentag', (tag) => {
    depth++;
    if (depth === 1) {
      if (tag.name !== 'osm') fail(`the root element is <${tag.name}>, an OpenStreetMap file starts with <osm>`);
      sawRoot = true;
      return;
    }
    if (depth === 2) {
      current = null;
      skipped = isDeleted(tag);
      if (skipped) return;
      if (tag.name === 'node') {
        current = { type: 'node', id: numAttr(tag, 'id', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), lat: numAttr(tag, 'lat', -90, 90), lon: numAttr(tag, 'lon', -180, 180) };
      } else if (tag.name === 'way') {
        current = { type: 'way', id: numAttr(tag, 'id', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), refs: [] };
      }
      return;
    }
    if (depth !== 3 || !current) return;
    if (tag.name === 'tag') {
      const k = attr(tag, 'k');
      if (keepTags && !keepTags.has(k)) return;
      (current.tags ??= {})[k] = attr(tag, 'v');
    } else if (tag.name === 'nd' && current.type === 'way') {
      current.refs.push(numAttr(tag, 'ref', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    }
  });

  parser.on('closetag', () => {
    if (depth === 2 && current && !skipped) onElement(current);
    if (depth === 2) current = null;
    depth--;
  });

  return {
    write(chunk) {
      parser.write(chunk);
    },
    close() {
      parser.close();
      if (!sawRoot) throw new Error('no <osm> element: the file is empty or not OpenStreetMap XML');
    },
  };
}

/** Parse a whole .osm document held in memory. */
export function parseOsmXml(text: string, keepTags?: ReadonlySet<string>): OsmElement[] {
  const out: OsmElement[] = [];
  const reader = createOsmXmlReader((el) => out.push(el), keepTags);
  reader.write(text);
  reader.close();
  return out;
}
