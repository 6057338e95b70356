import { describe, expect, it } from 'vitest';
import { createOsmXmlReader, parseOsmXml } from './osmxml.logic.js';
import type { OsmElement } from './collect.logic.js';

const DOC = `<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <bounds minlat="42.5" minlon="1.5" maxlat="42.6" maxlon="1.6"/>
  <!-- a comment -->
  <node id="1" lat="42.5" lon="1.5"/>
  <node id="2" lat="42.51" lon="1.51">
    <tag k="place" v="town"/>
    <tag k="name" v="Caf&#233; &amp; &quot;Bar&quot;"/>
    <tag k="name:zh" v="安道尔城"/>
  </node>
  <node id="3" lat="42.52" lon="1.52" action="delete"/>
  <node id="-4" lat="-0.5" lon="-1.5" visible="true"/>
  <way id="10">
    <nd ref="1"/>
    <nd ref="2"/>
    <tag k="highway" v="primary"/>
    <tag k="oneway" v="yes"/>
  </way>
  <relation id="100">
    <member type="way" ref="10" role=""/>
    <tag k="type" v="route"/>
  </relation>
</osm>`;

describe('parseOsmXml', () => {
  it('reads nodes with coordinates and tags, ways with refs, and skips deleted objects and relations', () => {
    const els = parseOsmXml(DOC);
    expect(els).toEqual([
      { type: 'node', id: 1, lat: 42.5, lon: 1.5 },
      { type: 'node', id: 2, lat: 42.51, lon: 1.51, tags: { place: 'town', name: 'Café & "Bar"', 'name:zh': '安道尔城' } },
      { type: 'node', id: -4, lat: -0.5, lon: -1.5 },
      { type: 'way', id: 10, refs: [1, 2], tags: { highway: 'primary', oneway: 'yes' } },
    ]);
  });

  it('keeps only the requested tag keys', () => {
    const els = parseOsmXml(DOC, new Set(['highway']));
    expect(els.find((e) => e.id === 2)).toEqual({ type: 'node', id: 2, lat: 42.51, lon: 1.51 });
    expect(els.find((e) => e.id === 10)?.tags).toEqual({ highway: 'primary' });
  });

  it('gives the same elements however the text is chunked (chunks split tags and multi-byte text)', () => {
    const whole = parseOsmXml(DOC);
    for (const size of [1, 7, 64]) {
      const got: OsmElement[] = [];
      const r = createOsmXmlReader((e) => got.push(e));
      for (let i = 0; i < DOC.length; i += size) r.write(DOC.slice(i, i + size));
      r.close();
      expect(got).toEqual(whole);
    }
  });

  it.each([
    ['a different root element', '<html><body/></html>', /root element is <html>/],
    ['malformed XML', '<osm><node id="1" lat="1" lon="2"></osm>', /line 1/],
    ['an unclosed document', '<osm><node id="1" lat="1" lon="2"/>', /unclosed|end/i],
    ['text that is not XML', 'hello world', /./],
    ['an empty document', '', /root element/],
    ['a latitude out of range', '<osm><node id="1" lat="95" lon="2"/></osm>', /lat="95" is not a number from -90 to 90/],
    ['a longitude that is not a number', '<osm><node id="1" lat="1" lon="east"/></osm>', /lon="east"/],
    ['a node without an id', '<osm><node lat="1" lon="2"/></osm>', /<node> has no id attribute/],
    ['a way node reference that is not a number', '<osm><way id="1"><nd ref="x"/></way></osm>', /ref="x"/],
  ])('rejects %s with a message saying what is wrong', (_what, text, message) => {
    expect(() => parseOsmXml(text)).toThrow(message);
  });
});
