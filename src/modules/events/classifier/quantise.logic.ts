/**
 * Compact storage of weight matrices in the model JSON: each row gets its
 * own scale (max |w| / 127 or / 32767) and the values are stored as 8- or
 * 16-bit integers, base64-encoded. Per-row scales keep small rows precise;
 * the error is at most half a step, far below what changes a prediction.
 */
import type { QuantisedMatrix } from './types.js';

/** Quantises `values` split into rows of `rowLength`. */
export function quantise(values: ArrayLike<number>, rowLength: number, bits: 8 | 16): QuantisedMatrix {
  const levels = bits === 8 ? 127 : 32767;
  const rows = Math.ceil(values.length / rowLength);
  const ints = bits === 8 ? new Int8Array(values.length) : new Int16Array(values.length);
  const scales: number[] = [];
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let i = r * rowLength; i < Math.min(values.length, (r + 1) * rowLength); i++) max = Math.max(max, Math.abs(values[i] ?? 0));
    // Stored scales are rounded to 6 significant digits; quantise against the stored value so decoding is exact.
    const scale = max > 0 ? Number((max / levels).toPrecision(6)) : 0;
    scales.push(scale);
    for (let i = r * rowLength; i < Math.min(values.length, (r + 1) * rowLength); i++) {
      ints[i] = scale > 0 ? Math.max(-levels, Math.min(levels, Math.round((values[i] ?? 0) / scale))) : 0;
    }
  }
  return { bits, rowLength, length: values.length, scales, data: Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength).toString('base64') };
}

/** The values back, as floats. Throws when the stored shape does not add up. */
export function dequantise(m: QuantisedMatrix): Float64Array {
  const bytes = Buffer.from(m.data, 'base64');
  const width = m.bits === 8 ? 1 : 2;
  if (bytes.length !== m.length * width || m.scales.length !== Math.ceil(m.length / m.rowLength)) {
    throw new RangeError(`quantised matrix: ${bytes.length} bytes and ${m.scales.length} scales do not fit ${m.length} values`);
  }
  const out = new Float64Array(m.length);
  for (let i = 0; i < m.length; i++) {
    const q = m.bits === 8 ? bytes.readInt8(i) : bytes.readInt16LE(i * 2);
    out[i] = q * (m.scales[Math.floor(i / m.rowLength)] ?? 0);
  }
  return out;
}
