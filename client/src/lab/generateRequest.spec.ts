import { describe, expect, it, vi } from 'vitest';
import { generateBody, parseSeed, requestGeneration, timedStrokes } from './generateRequest';

const answer = {
  drawings: [
    {
      strokeData: {
        canvas: { width: 400, height: 400 },
        strokes: [
          { points: [{ x: 80, y: 200, pressure: 0.5, timestamp: 0 }, { x: 320, y: 200, pressure: 0.5, timestamp: 240 }], color: '#1e1e1e', width: 3 },
          { points: [{ x: 100, y: 210, pressure: 0.5, timestamp: 600 }, { x: 300, y: 205, pressure: 0.5, timestamp: 790 }], color: '#1e1e1e', width: 3 },
        ],
        duration_ms: 790,
        device: 'generated',
      },
    },
  ],
  shape: 'line',
  seed: 77,
  temperature: 1,
  modelVersion: 2,
  generationTimeMs: 0.8,
  classifier: [{ shape: 'line', confidence: 0.97 }],
};

function respond(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status }));
}

describe('generateRequest', () => {
  it('reads the seed box: empty lets the server pick, anything but an integer is refused', () => {
    expect(parseSeed('')).toBeNull();
    expect(parseSeed(' 42 ')).toBe(42);
    for (const bad of ['-1', '1.5', 'abc', '9007199254740992']) expect(parseSeed(bad)).toBeUndefined();
  });

  it('asks for one drawing, with the seed only when one is given', () => {
    expect(generateBody({ shape: 'heart', temperature: 0.7000001, seed: '' })).toEqual({ shape: 'heart', count: 1, temperature: 0.7 });
    expect(generateBody({ shape: 'heart', temperature: 1, seed: '9' })).toEqual({ shape: 'heart', count: 1, temperature: 1, seed: 9 });
  });

  it('turns the answer into strokes timed from the first point, with the verdict', async () => {
    const fetcher = respond(200, answer);
    const outcome = await requestGeneration({ shape: 'line', temperature: 1, seed: '77' }, fetcher);
    expect(fetcher).toHaveBeenCalledWith('/api/inference/generate', expect.objectContaining({ method: 'POST' }));
    if (!outcome.ok) throw new Error(outcome.message);
    const g = outcome.generated;
    expect(g.strokes.map((s) => Array.from(s.t))).toEqual([[0, 240], [600, 790]]);
    expect(g.verdict).toEqual({ shape: 'line', confidence: 0.97 });
    expect([g.seed, g.modelVersion, g.canvas.width]).toEqual([77, 2, 400]);
  });

  it('keeps timing relative even when timestamps are absolute', () => {
    const [s] = timedStrokes([{ points: [{ x: 0, y: 0, timestamp: 1_704_067_200_000 }, { x: 1, y: 1, timestamp: 1_704_067_200_016 }] }]);
    expect(Array.from(s!.t)).toEqual([0, 16]);
    expect(Array.from(s!.p)).toEqual([0.5, 0.5]);
  });

  it('says when no generator is active, names bad fields, and survives a dead network', async () => {
    const none = await requestGeneration({ shape: 'line', temperature: 1, seed: '' }, respond(503, { error: 'no_model' }));
    expect(none).toMatchObject({ ok: false, noModel: true });
    const bad = await requestGeneration(
      { shape: 'line', temperature: 1, seed: '' },
      respond(400, { error: 'bad_request', message: 'invalid', details: [{ field: 'temperature', message: 'a number from 0.1 to 2' }] }),
    );
    expect(bad).toEqual({ ok: false, noModel: false, message: 'temperature: a number from 0.1 to 2' });
    const offline = await requestGeneration({ shape: 'line', temperature: 1, seed: '' }, vi.fn(async () => Promise.reject(new Error('offline'))));
    expect(offline).toMatchObject({ ok: false, noModel: false });
    if (!offline.ok) expect(offline.message).toContain('offline');
  });
});
