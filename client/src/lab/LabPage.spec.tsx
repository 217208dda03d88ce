// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../test/fakeWebSocket';
import { LabPage } from './LabPage';

const model = {
  id: 'model-3',
  version: 3,
  shapes: ['line', 'circle', 'square', 'triangle', 'heart'].map((name, i) => ({ id: i + 1, name })),
  accuracy: 0.987,
  activatedAt: null,
  loadedAt: '2026-01-01T00:00:00+00:00',
};

function pointer(type: string, x: number, y: number) {
  return new PointerEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, pointerId: 1, pointerType: 'mouse', button: 0, pressure: 0.5 });
}

async function drawStroke(canvas: HTMLElement, points: [number, number][]) {
  await act(async () => {
    canvas.dispatchEvent(pointer('pointerdown', points[0]![0], points[0]![1]));
    for (const [x, y] of points.slice(1)) canvas.dispatchEvent(pointer('pointermove', x, y));
    const last = points[points.length - 1]!;
    canvas.dispatchEvent(pointer('pointerup', last[0], last[1]));
  });
}

describe('LabPage', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ ...model, version: 4 }), { status: 200 })));
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
      left: 0, top: 0, width: 400, height: 400, right: 400, bottom: 400, x: 0, y: 0, toJSON: () => ({}),
    } as DOMRect);
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('streams strokes to /ws/classify and moves the bars with each prediction', async () => {
    render(<LabPage />);
    await waitFor(() => expect(FakeWebSocket.instances.length).toBe(1));
    const ws = FakeWebSocket.last;
    expect(ws.url).toMatch(/\/ws\/classify$/);
    await act(async () => ws.open());
    await act(async () => ws.receive({ type: 'ready', model }));
    await waitFor(() => expect(screen.getByTestId('lab-model-version').textContent).toBe('v3'));

    await drawStroke(screen.getByTestId('draw-canvas'), [
      [100, 100],
      [200, 100],
      [300, 100],
    ]);
    await waitFor(() => expect(ws.frames().map((f) => f.type)).toContain('end'));
    const updates = ws.frames().length;
    await act(async () =>
      ws.receive({ type: 'prediction', seq: updates, predictions: [['line', 0.91], ['square', 0.05]], model: 3, inferenceMs: 1.4 }),
    );
    expect(screen.getByTestId('lab-answer').dataset.shape).toBe('line');
    const line = screen.getByTestId('lab-bars').querySelector('[data-shape="line"]') as HTMLElement;
    expect(line.dataset.p).toBe('0.9100');
    expect(line.className).toContain('is-top');
    expect(screen.getByTestId('lab-latency').textContent).toMatch(/ms$/);

    await act(async () =>
      ws.receive({ type: 'prediction', seq: updates, predictions: [['line', 0.9]], model: 4, inferenceMs: 1 }),
    );
    await waitFor(() => expect(screen.getByTestId('lab-model-version').textContent).toBe('v4'));
    expect(fetch).toHaveBeenCalledWith('/api/inference/model/info');

    fireEvent.click(screen.getByTestId('lab-new-try'));
    expect(ws.frames().at(-1)).toEqual({ type: 'clear' });
    expect(screen.getByTestId('lab-tries').textContent).toContain('line 90%');
  });

  it('says when no model is loaded', async () => {
    render(<LabPage />);
    await waitFor(() => expect(FakeWebSocket.instances.length).toBe(1));
    await act(async () => FakeWebSocket.last.open());
    await act(async () => FakeWebSocket.last.receive({ type: 'ready', model: null }));
    await waitFor(() => expect(screen.getByTestId('lab-answer').textContent).toBe('No model is loaded.'));
    expect(screen.getByTestId('lab-generation').textContent).toContain('Pick a shape');
  });

  it('offers curl and Python for every inference endpoint', () => {
    render(<LabPage />);
    for (const id of ['model-info', 'classify', 'classify-batch', 'ws-classify']) {
      expect(screen.getByTestId(`lab-example-${id}`).textContent).toContain('Python');
    }
  });
});
