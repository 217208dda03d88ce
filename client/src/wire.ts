/**
 * What both socket protocols share: packing point arrays as little-endian bytes for msgpack
 * `bin`, and reading fields out of a decoded msgpack map with precise errors. The frame types
 * themselves live in protocol.ts (/ws/play) and watchProtocol.ts (/ws/watch).
 */

import { decode, encode } from '@msgpack/msgpack';

/** A decoded frame was not what the protocol says (the server's `bad_frame`). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Points as the wire carries them: parallel arrays, one entry per sample. */
export interface PointArrays {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly t: Uint32Array;
  readonly p: Float32Array;
}

/** Packs float32 values little-endian whatever the host's byte order (DataView is explicit). */
export function packFloat32(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

export function packUint32(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(i * 4, values[i]!, true);
  return out;
}

function checkedView(bytes: Uint8Array, field: string): DataView {
  if (bytes.byteLength % 4 !== 0) {
    throw new ProtocolError(`${field}: ${bytes.byteLength} bytes is not a multiple of 4`);
  }
  // msgpack bin values are views into the frame at any offset, so no aligned typed-array view.
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function unpackFloat32(bytes: Uint8Array, field = 'value'): Float32Array {
  const view = checkedView(bytes, field);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function unpackUint32(bytes: Uint8Array, field = 'value'): Uint32Array {
  const view = checkedView(bytes, field);
  const out = new Uint32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

/** Encodes a frame object as one msgpack map. */
export function encodeMap(frame: Record<string, unknown>): Uint8Array {
  return encode(frame);
}

/** Decodes one binary message into a map that has a string `type`. */
export function decodeMap(bytes: ArrayBuffer | Uint8Array): FieldReader {
  let value: unknown;
  try {
    value = decode(bytes);
  } catch (err) {
    throw new ProtocolError(`not msgpack: ${(err as Error).message}`);
  }
  if (!isRecord(value)) throw new ProtocolError('a frame must be a msgpack map');
  if (typeof value.type !== 'string') throw new ProtocolError('a frame needs a string `type`');
  return new FieldReader(value, value.type);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/**
 * Typed access to one decoded map. Every getter throws a ProtocolError naming the frame and the
 * field, so a mismatch with the server shows up as one clear message, not a later `undefined`.
 */
export class FieldReader {
  constructor(
    readonly map: Readonly<Record<string, unknown>>,
    readonly where: string,
  ) {}

  private fail(key: string, expected: string): never {
    throw new ProtocolError(`${this.where}.${key}: expected ${expected}`);
  }

  has(key: string): boolean {
    return this.map[key] !== undefined && this.map[key] !== null;
  }

  string(key: string): string {
    const v = this.map[key];
    return typeof v === 'string' ? v : this.fail(key, 'a string');
  }

  optString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  number(key: string): number {
    const v = this.map[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(key, 'a number');
  }

  optNumber(key: string): number | undefined {
    return this.has(key) ? this.number(key) : undefined;
  }

  int(key: string): number {
    const v = this.number(key);
    return Number.isInteger(v) ? v : this.fail(key, 'an integer');
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.map[key];
    if (v === undefined || v === null) return fallback;
    return typeof v === 'boolean' ? v : this.fail(key, 'a boolean');
  }

  /** A string or a number, as a string (ids and model versions may be either). */
  id(key: string): string {
    const v = this.map[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    return this.fail(key, 'a string or number id');
  }

  list(key: string): unknown[] {
    const v = this.map[key];
    return Array.isArray(v) ? v : this.fail(key, 'a list');
  }

  optList(key: string): unknown[] | undefined {
    return this.has(key) ? this.list(key) : undefined;
  }

  child(key: string): FieldReader {
    const v = this.map[key];
    return isRecord(v) ? new FieldReader(v, `${this.where}.${key}`) : this.fail(key, 'a map');
  }

  /** float32[] from a `bin` of little-endian bytes (or, leniently, a list of numbers). */
  float32(key: string): Float32Array {
    const v = this.map[key];
    if (v instanceof Uint8Array) return unpackFloat32(v, `${this.where}.${key}`);
    if (Array.isArray(v) && v.every((n) => typeof n === 'number')) return Float32Array.from(v);
    return this.fail(key, 'bin of little-endian float32');
  }

  uint32(key: string): Uint32Array {
    const v = this.map[key];
    if (v instanceof Uint8Array) return unpackUint32(v, `${this.where}.${key}`);
    if (Array.isArray(v) && v.every((n) => typeof n === 'number')) return Uint32Array.from(v);
    return this.fail(key, 'bin of little-endian uint32');
  }

  /** x, y, t, p of one batch or stroke, checked to be of one length. */
  points(): PointArrays {
    const x = this.float32('x');
    const y = this.float32('y');
    const t = this.uint32('t');
    const p = this.float32('p');
    if (y.length !== x.length || t.length !== x.length || p.length !== x.length) {
      throw new ProtocolError(`${this.where}: x, y, t and p have different lengths`);
    }
    return { x, y, t, p };
  }
}

/** The point arrays of a batch packed for the wire (keys x, y, t, p). */
export function packPoints(points: PointArrays): Record<'x' | 'y' | 't' | 'p', Uint8Array> {
  return {
    x: packFloat32(points.x),
    y: packFloat32(points.y),
    t: packUint32(points.t),
    p: packFloat32(points.p),
  };
}
