// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GenerationSlot } from './GenerationSlot';

function answer(seed: number, verdict: string) {
  return {
    drawings: [
      {
        strokeData: {
          canvas: { width: 400, height: 400 },
          strokes: [{ points: [{ x: 100, y: 100, pressure: 0.5, timestamp: 0 }, { x: 300, y: 300, pressure: 0.5, timestamp: 200 }] }],
          duration_ms: 200,
          device: 'generated',
        },
      },
    ],
    shape: 'circle',
    seed,
    temperature: 1,
    modelVersion: 1,
    generationTimeMs: 0.5,
    classifier: [{ shape: verdict, confidence: 0.88 }],
  };
}

describe('GenerationSlot', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('generates, replays, shows the verdict and asks for another with a fresh seed', async () => {
    const fetcher = vi
      .fn()
      .mockResolvedValueOnce(new Response(JSON.stringify(answer(5, 'circle'))))
      .mockResolvedValueOnce(new Response(JSON.stringify(answer(6, 'square'))));
    vi.stubGlobal('fetch', fetcher);
    render(<GenerationSlot />);
    fireEvent.change(screen.getByTestId('lab-generate-seed'), { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('lab-generate'));
    await waitFor(() => expect(screen.getByTestId('lab-generate-used-seed').textContent).toBe('5'));
    expect(JSON.parse(fetcher.mock.calls[0]![1].body)).toEqual({ shape: 'circle', count: 1, temperature: 1, seed: 5 });
    expect(screen.getByTestId('lab-generated-canvas').dataset.duration).toBe('200');
    expect(screen.getByTestId('lab-generate-verdict').textContent).toBe('The classifier sees a circle (88%)');

    fireEvent.click(screen.getByTestId('lab-generate-another'));
    await waitFor(() => expect(screen.getByTestId('lab-generate-used-seed').textContent).toBe('6'));
    expect(JSON.parse(fetcher.mock.calls[1]![1].body)).not.toHaveProperty('seed');
    expect(screen.getByTestId('lab-generate-verdict').textContent).toContain('not a circle');
  });

  it('says when no generator is active', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"error":"no_model"}', { status: 503 })));
    render(<GenerationSlot />);
    fireEvent.click(screen.getByTestId('lab-generate'));
    await waitFor(() => expect(screen.getByTestId('lab-generate-problem').textContent).toContain('No generator is active'));
  });
});
