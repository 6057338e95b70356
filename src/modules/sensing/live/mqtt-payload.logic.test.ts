/** Unit tests: MQTT payload shapes (object, array, NDJSON) and garbage. */
import { describe, expect, it } from 'vitest';
import { mqttTopicMatches, parseMqttPayload } from './mqtt-payload.logic.js';

const r = { sensor: 's1', ts: '2026-11-22T08:00:00Z', value: 1 };

describe('parseMqttPayload', () => {
  it('one reading object', () => {
    expect(parseMqttPayload(JSON.stringify(r))).toEqual({ ok: true, readings: [r], indexes: null, badLines: [] });
  });

  it('a JSON array, from bytes', () => {
    const p = parseMqttPayload(Buffer.from(JSON.stringify([r, r, 5])));
    expect(p).toMatchObject({ ok: true, readings: [r, r, 5], indexes: null });
  });

  it('NDJSON keeps good lines and names bad ones by index', () => {
    const text = `${JSON.stringify(r)}\n{oops\n\n[1]\n${JSON.stringify({ ...r, value: 2 })}\n`;
    const p = parseMqttPayload(text);
    expect(p).toEqual({
      ok: true,
      readings: [r, { ...r, value: 2 }],
      indexes: [0, 3],
      badLines: [
        { index: 1, code: 'BAD_JSON', reason: 'line 2: malformed JSON' },
        { index: 2, code: 'BAD_READING', reason: 'each NDJSON line must be one reading object' },
      ],
    });
  });

  it('garbage is refused with a code', () => {
    expect(parseMqttPayload('')).toMatchObject({ ok: false, code: 'EMPTY_PAYLOAD' });
    expect(parseMqttPayload(Buffer.from([0xff, 0x00, 0x13]))).toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
    expect(parseMqttPayload('{"sensor": ')).toMatchObject({ ok: false, code: 'BAD_JSON' });
    expect(parseMqttPayload('[1,2')).toMatchObject({ ok: false, code: 'BAD_JSON' });
    expect(parseMqttPayload('42')).toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
  });
});

describe('mqttTopicMatches', () => {
  it('follows the MQTT wildcard rules', () => {
    expect(mqttTopicMatches('cityops/readings/#', 'cityops/readings/a/b')).toBe(true);
    expect(mqttTopicMatches('cityops/readings/#', 'cityops/readings')).toBe(true);
    expect(mqttTopicMatches('cityops/readings/#', 'cityops/replies')).toBe(false);
    expect(mqttTopicMatches('cityops/+/x', 'cityops/readings/x')).toBe(true);
    expect(mqttTopicMatches('cityops/+/x', 'cityops/readings/y')).toBe(false);
    expect(mqttTopicMatches('cityops/+', 'cityops/a/b')).toBe(false);
    expect(mqttTopicMatches('#', '$SYS/x')).toBe(false);
    expect(mqttTopicMatches('a/b', 'a/b')).toBe(true);
  });
});
