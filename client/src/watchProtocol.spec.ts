import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  decodeWatchFrame,
  encodeWatchClientFrame,
  encodeWatchServerFrame,
  type WatchServerFrame,
} from './watchProtocol';
import { ProtocolError } from './wire';

const pts = (xs: number[]) => ({
  x: new Float32Array(xs),
  y: new Float32Array(xs.map((v) => v + 1)),
  t: new Uint32Array(xs.map((_, i) => i * 16)),
  p: new Float32Array(xs.map(() => 0.5)),
});

const boards = {
  today: [['Brave Otter', 12] as const],
  all: [['Quiet Lynx', 340] as const, ['Brave Otter', 120] as const],
  streak: [],
};

describe('/ws/watch frames', () => {
  it.each<WatchServerFrame>([
    {
      type: 'snapshot',
      live: [{ live: 'l1', nickname: 'Brave Otter', shape: 'heart', strokes: [pts([1, 2]), pts([3])] }],
      leaderboards: boards,
    },
    { type: 'points', live: 'l1', nickname: 'Brave Otter', shape: 'heart', stroke: 1, ...pts([5, 6, 7]) },
    { type: 'undo', live: 'l1' },
    { type: 'clear', live: 'l1' },
    { type: 'leave', live: 'l1' },
    { type: 'done', live: 'l1', id: 'd-42', shape: 'heart', nickname: 'Brave Otter' },
    { type: 'leaderboards', ...boards },
    { type: 'pong' },
  ])('round-trip: $type', (frame) => {
    expect(decodeWatchFrame(encodeWatchServerFrame(frame))).toEqual(frame);
  });

  it('carries points as bin values, like /ws/play', () => {
    const raw = decode(
      encodeWatchServerFrame({ type: 'points', live: 'l', nickname: 'n', shape: 'line', stroke: 0, ...pts([1]) }),
    ) as Record<string, unknown>;
    expect(raw.x).toBeInstanceOf(Uint8Array);
    expect(raw.t).toBeInstanceOf(Uint8Array);
  });

  it('tolerates a snapshot without leaderboards or lives', () => {
    expect(decodeWatchFrame(encode({ type: 'snapshot' }))).toEqual({
      type: 'snapshot',
      live: [],
      leaderboards: { today: [], all: [], streak: [] },
    });
  });

  it('rejects a malformed leaderboard entry', () => {
    expect(() => decodeWatchFrame(encode({ type: 'leaderboards', today: [['x']] }))).toThrow(ProtocolError);
  });

  it('encodes the client ping', () => {
    expect(decode(encodeWatchClientFrame({ type: 'ping' }))).toEqual({ type: 'ping' });
  });
});
