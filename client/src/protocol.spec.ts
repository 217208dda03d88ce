import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  ProtocolError,
  type PointsFrame,
} from './protocol';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function pointsFrame(): PointsFrame {
  return {
    type: 'points',
    stroke: 2,
    x: new Float32Array([1.5, 100.25, -3]),
    y: new Float32Array([2, 0.1, 399.75]),
    t: new Uint32Array([0, 16, 4_000_000_000]),
    p: new Float32Array([0.5, 0.75, 1]),
  };
}

describe('encodeClientFrame: points', () => {
  it('is one msgpack map whose point arrays are bin values', () => {
    const raw = decode(encodeClientFrame(pointsFrame())) as Record<string, unknown>;
    expect(raw.type).toBe('points');
    expect(raw.stroke).toBe(2);
    for (const k of ['x', 'y', 't', 'p']) {
      expect(raw[k]).toBeInstanceOf(Uint8Array);
      expect((raw[k] as Uint8Array).byteLength).toBe(12);
    }
  });

  it('packs coordinates as little-endian float32 and times as little-endian uint32', () => {
    const raw = decode(encodeClientFrame(pointsFrame())) as Record<string, Uint8Array>;
    // 1.5f = 0x3fc00000, little-endian first
    expect(hex(raw.x!.subarray(0, 4))).toBe('0000c03f');
    // 16 = 0x10, 4e9 = 0xee6b2800
    expect(hex(raw.t!.subarray(4, 12))).toBe('1000000000286bee');
  });

  it('decodes back to the same values', () => {
    const frame = pointsFrame();
    const back = decodeClientFrame(encodeClientFrame(frame));
    expect(back).toEqual({ ...frame, y: new Float32Array([2, 0.1, 399.75]) });
    if (back.type !== 'points') throw new Error('not points');
    // 0.1 is not a float32: it survives as the nearest float32, exactly as the server stores it.
    expect(back.y[1]).toBe(Math.fround(0.1));
    expect(back.t[2]).toBe(4_000_000_000);
  });

  it('matches the documented bytes for a one-point frame', () => {
    // The same fixture can be asserted by server/protocol.py's tests.
    const bytes = encodeClientFrame({
      type: 'points',
      stroke: 0,
      x: new Float32Array([1]),
      y: new Float32Array([2]),
      t: new Uint32Array([3]),
      p: new Float32Array([0.5]),
    });
    expect(hex(bytes)).toBe(
      '86a474797065a6706f696e7473a67374726f6b6500' +
        'a178c4040000803f' +
        'a179c40400000040' +
        'a174c40403000000' +
        'a170c4040000003f',
    );
  });

  it('carries colour and width when given', () => {
    const raw = decode(
      encodeClientFrame({ ...pointsFrame(), color: '#1e1e1e', width: 4 }),
    ) as Record<string, unknown>;
    expect(raw.color).toBe('#1e1e1e');
    expect(raw.width).toBe(4);
  });
});

describe('encodeClientFrame: other frames', () => {
  it('omits absent optional fields rather than sending nil', () => {
    const raw = decode(encodeClientFrame({ type: 'hello', device: 'pen' }));
    expect(raw).toEqual({ type: 'hello', device: 'pen' });
  });

  it('sends hello with session and user', () => {
    const frame = { type: 'hello', session: 's1', user: 'u1', device: 'touch' } as const;
    expect(decodeClientFrame(encodeClientFrame(frame))).toEqual(frame);
  });

  it.each([{ type: 'undo' }, { type: 'clear' }, { type: 'ping' }, { type: 'end', stroke: 3 }] as const)(
    'round-trips %o',
    (frame) => {
      expect(decodeClientFrame(encodeClientFrame(frame))).toEqual(frame);
    },
  );

  it('round-trips a submit with its strokes', () => {
    const frame = {
      type: 'submit',
      key: '4b0b8a8e-2f7c-4a0e-9f52-7d1f0f3e9c11',
      shape: 5,
      canvas: [400, 380],
      duration_ms: 2500,
      started_at: 1_704_067_200_000,
      device: 'touch',
      strokes: [
        {
          x: new Float32Array([1, 2]),
          y: new Float32Array([3, 4]),
          t: new Uint32Array([0, 8]),
          p: new Float32Array([0.5, 0.5]),
          color: '#1e1e1e',
          width: 4,
        },
      ],
    } as const;
    const raw = decode(encodeClientFrame(frame)) as Record<string, unknown>;
    expect(raw.canvas).toEqual([400, 380]);
    expect(raw.started_at).toBe(1_704_067_200_000);
    expect(raw.device).toBe('touch');
    expect(decodeClientFrame(encodeClientFrame(frame))).toEqual(frame);
  });

  it('sends a submit without strokes when none are given', () => {
    const raw = decode(
      encodeClientFrame({ type: 'submit', key: 'k', shape: 1, canvas: [16, 16], duration_ms: 0 }),
    );
    expect(Object.keys(raw as object).sort()).toEqual(
      ['canvas', 'duration_ms', 'key', 'shape', 'type'].sort(),
    );
  });
});

describe('decodeServerFrame', () => {
  const prompt = { id: 5, name: 'heart', description: 'Two rounded lobes.' };

  it('reads welcome', () => {
    const f = decodeServerFrame(
      encode({
        type: 'welcome',
        session: 'abc',
        user: 'u',
        nickname: 'Brave Otter',
        prompt,
        stats: { total: 3, session: 1, today: 2 },
        streak: { current: 1, best: 4, days: 2 },
      }),
    );
    expect(f).toEqual({
      type: 'welcome',
      session: 'abc',
      user: 'u',
      nickname: 'Brave Otter',
      prompt,
      stats: { total: 3, session: 1, today: 2 },
      streak: { current: 1, best: 4, days: 2 },
    });
  });

  it('reads ack and tolerates missing counters', () => {
    const f = decodeServerFrame(
      encode({
        type: 'ack',
        key: 'k',
        id: 'd1',
        shape: 'heart',
        quality: 0.9,
        next: prompt,
        streak: { current: 2 },
        stats: { total: 1, session: 1, today: 1 },
      }),
    );
    expect(f).toMatchObject({ type: 'ack', key: 'k', id: 'd1', streak: { current: 2, best: 0, days: 0 } });
  });

  it('reads guess predictions', () => {
    const f = decodeServerFrame(
      encode({ type: 'guess', predictions: [['circle', 0.87], ['heart', 0.1]], model: 7 }),
    );
    expect(f).toEqual({ type: 'guess', predictions: [['circle', 0.87], ['heart', 0.1]], model: '7' });
  });

  it('reads error with details and key', () => {
    const f = decodeServerFrame(
      encode({
        type: 'error',
        code: 'invalid_drawing',
        message: 'the drawing is not valid',
        details: [{ field: 'strokes', message: 'a drawing needs at least one stroke' }],
        key: 'k',
      }),
    );
    expect(f).toEqual({
      type: 'error',
      code: 'invalid_drawing',
      message: 'the drawing is not valid',
      details: [{ field: 'strokes', message: 'a drawing needs at least one stroke' }],
      key: 'k',
      fatal: false,
    });
  });

  it('reads pong', () => {
    expect(decodeServerFrame(encode({ type: 'pong' }))).toEqual({ type: 'pong' });
  });

  it.each([
    ['not msgpack', new Uint8Array([0xc1])],
    ['not a map', encode([1, 2])],
    ['no type', encode({ kind: 'ack' })],
    ['unknown type', encode({ type: 'nope' })],
    ['missing field', encode({ type: 'ack', key: 'k' })],
    ['wrong field type', encode({ type: 'welcome', session: 's', prompt: 'heart' })],
  ])('rejects %s with a ProtocolError', (_name, bytes) => {
    expect(() => decodeServerFrame(bytes)).toThrow(ProtocolError);
  });

  it('rejects bin arrays that are not a multiple of 4 bytes', () => {
    const bytes = encode({
      type: 'points',
      stroke: 0,
      x: new Uint8Array(3),
      y: new Uint8Array(4),
      t: new Uint8Array(4),
      p: new Uint8Array(4),
    });
    expect(() => decodeClientFrame(bytes)).toThrow(/multiple of 4/);
  });

  it('rejects point arrays of different lengths', () => {
    const bytes = encode({
      type: 'points',
      stroke: 0,
      x: new Uint8Array(8),
      y: new Uint8Array(4),
      t: new Uint8Array(4),
      p: new Uint8Array(4),
    });
    expect(() => decodeClientFrame(bytes)).toThrow(/different lengths/);
  });
});
