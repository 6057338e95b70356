/**
 * Open311 wire formats: the format named by a path's extension, and a tiny
 * XML serializer for the spec's documents (<services><service>…). Arrays
 * become a wrapper element holding one element per item, named by SINGULAR.
 * Pure: strings in, strings out.
 */

export type Open311Format = 'json' | 'xml';

/** Element names of array items inside their wrapper (<errors><error/></errors>). */
const SINGULAR: Record<string, string> = {
  services: 'service', service_requests: 'request', errors: 'error', endpoints: 'endpoint', formats: 'format',
  attributes: 'attribute', values: 'value',
};

/** Split "ROAD_DAMAGE.json" into the name and its format; null when the extension is not .json or .xml. */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.*)\.(json|xml)$/i.exec(file);
  if (!m || m[1] === '') return null;
  return { name: m[1]!, format: m[2]!.toLowerCase() as Open311Format };
}

// Characters XML 1.0 forbids outright; dropped rather than escaped (they cannot be represented).
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(s: string): string {
  return s.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = SINGULAR[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole XML document whose root is `root` (an array root wraps its items, e.g. services → service). */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`;
}
