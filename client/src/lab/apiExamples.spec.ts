import { describe, expect, it } from 'vitest';
import { apiExamples, SAMPLE_STROKE_DATA } from './apiExamples';

describe('apiExamples', () => {
  const examples = apiExamples('https://draw.example.org');

  it('covers every inference endpoint and the OpenAPI document', () => {
    expect(examples.map((e) => e.title)).toEqual([
      'GET /api/inference/model/info',
      'POST /api/inference/classify',
      'POST /api/inference/classify/batch',
      'WebSocket /ws/classify',
      'POST /api/inference/generate',
      'GET /api/openapi.json',
    ]);
  });

  it('targets the page origin, with wss for the socket', () => {
    for (const e of examples) expect(`${e.curl ?? ''}${e.python}`).toContain('draw.example.org');
    expect(examples[3]!.python).toContain('wss://draw.example.org/ws/classify');
  });

  it('sends a drawing the server accepts: valid JSON, timestamps rising, inside the canvas', () => {
    const body = /-d '(.*)'/s.exec(examples[1]!.curl!)![1]!;
    expect(JSON.parse(body)).toEqual({ strokeData: SAMPLE_STROKE_DATA });
    const pts = SAMPLE_STROKE_DATA.strokes[0]!.points;
    expect(pts.every((p, i) => i === 0 || p.timestamp > pts[i - 1]!.timestamp)).toBe(true);
    expect(pts.every((p) => p.x >= 0 && p.x <= 400 && p.y >= 0 && p.y <= 400)).toBe(true);
  });
});
