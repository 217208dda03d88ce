// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../test/fakeWebSocket';
import { PlayPage } from './PlayPage';

const heart = { id: 5, name: 'heart', description: 'Two rounded lobes meeting in a point.' };
const circle = { id: 2, name: 'circle', description: 'A round closed loop.' };

function welcome(ws: FakeWebSocket) {
  ws.receive({
    type: 'welcome',
    session: 'sess-1',
    user: 'user-1',
    nickname: 'Brave Otter',
    prompt: heart,
    stats: { total: 0, session: 0, today: 0 },
    streak: { current: 0, best: 0, days: 0 },
  });
}

function pointer(type: string, x: number, y: number, extra: Record<string, unknown> = {}) {
  return new PointerEvent(type, {
    bubbles: true,
    cancelable: true,
    clientX: x,
    clientY: y,
    pointerId: 1,
    pointerType: 'mouse',
    button: 0,
    pressure: 0.5,
    ...extra,
  });
}

/** Draws a stroke with the mouse across the canvas (which sits at 0,0, 400 px square). */
async function drawStroke(canvas: HTMLElement, points: [number, number][]) {
  const [first, ...rest] = points;
  await act(async () => {
    canvas.dispatchEvent(pointer('pointerdown', first![0], first![1]));
    for (const [x, y] of rest) canvas.dispatchEvent(pointer('pointermove', x, y));
    const last = points[points.length - 1]!;
    canvas.dispatchEvent(pointer('pointerup', last[0], last[1]));
  });
}

async function connect() {
  await waitFor(() => expect(FakeWebSocket.instances.length).toBe(1));
  const ws = FakeWebSocket.last;
  await act(async () => ws.open());
  await act(async () => welcome(ws));
  return ws;
}

describe('PlayPage', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    indexedDB.deleteDatabase('drawstream');
    localStorage.clear();
    sessionStorage.clear();
    localStorage.setItem('drawstream.instructions', 'dismissed');
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
      left: 0,
      top: 0,
      width: 400,
      height: 400,
      right: 400,
      bottom: 400,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    } as DOMRect);
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the first-time instructions until dismissed, and remembers', async () => {
    localStorage.removeItem('drawstream.instructions');
    render(<PlayPage />);
    const dismiss = screen.getByTestId('instructions-dismiss');
    fireEvent.click(dismiss);
    expect(screen.queryByTestId('instructions')).toBeNull();
    expect(localStorage.getItem('drawstream.instructions')).toBe('dismissed');
  });

  it('says hello, shows the prompt, streams a stroke and submits it through the outbox', async () => {
    render(<PlayPage />);
    const ws = await connect();
    expect(ws.url).toMatch(/\/ws\/play$/);
    expect(ws.frames()[0]).toMatchObject({ type: 'hello', device: 'mouse' });
    expect(screen.getByTestId('prompt').dataset.shape).toBe('heart');
    expect(screen.getByTestId('prompt').textContent).toBe('Draw a heart');
    expect(screen.getByTestId('connection-status').dataset.state).toBe('online');

    const canvas = screen.getByTestId('draw-canvas');
    await drawStroke(canvas, [
      [100, 100],
      [150, 120],
      [200, 180],
    ]);
    await waitFor(() => expect(ws.frames().some((f) => f.type === 'end')).toBe(true));
    const streamed = ws.frames().filter((f) => f.type === 'points');
    expect(streamed.length).toBeGreaterThan(0);
    const xs = streamed.flatMap((f) => (f.type === 'points' ? Array.from(f.x) : []));
    expect(xs).toEqual([100, 150, 200]);

    const submit = screen.getByTestId('submit-button') as HTMLButtonElement;
    expect(submit.disabled).toBe(false);
    await act(async () => fireEvent.click(submit));
    await waitFor(() => expect(ws.frames().some((f) => f.type === 'submit')).toBe(true));
    const sub = ws.frames().find((f) => f.type === 'submit');
    if (sub?.type !== 'submit') throw new Error('no submit');
    expect(sub).toMatchObject({ shape: 5, canvas: [400, 400] });
    expect(Array.from(sub.strokes![0]!.x)).toEqual([100, 150, 200]);
    expect(Array.from(sub.strokes![0]!.y)).toEqual([100, 120, 180]);
    expect(screen.getByTestId('feedback').dataset.kind).toBe('sending');

    await act(async () =>
      ws.receive({
        type: 'ack',
        key: sub.key,
        id: 'drawing-1',
        shape: 'heart',
        quality: 0.8,
        next: circle,
        streak: { current: 1, best: 1, days: 1 },
        stats: { total: 1, session: 1, today: 1 },
      }),
    );
    await waitFor(() => expect(screen.getByTestId('ack-message').dataset.drawingId).toBe('drawing-1'));
    expect(screen.getByTestId('next-prompt').dataset.shape).toBe('circle');
    expect(screen.getByTestId('prompt').dataset.shape).toBe('circle');
    expect(screen.getByTestId('streak-current').textContent).toContain('1');
    expect(screen.getByTestId('session-count-heart').textContent).toBe('1');
    await waitFor(() => expect(screen.getByTestId('achievement-toast').dataset.achievement).toBe('first-drawing'));
    await waitFor(() => expect(screen.getByTestId('outbox-count').dataset.count).toBe('0'));
  });

  it('keeps a drawing submitted offline and sends it once the server is back', async () => {
    render(<PlayPage />);
    const ws = await connect();
    await act(async () => ws.drop());
    await waitFor(() => expect(screen.getByTestId('connection-status').dataset.state).toBe('offline'));

    await drawStroke(screen.getByTestId('draw-canvas'), [
      [10, 10],
      [20, 20],
    ]);
    await act(async () => fireEvent.click(screen.getByTestId('submit-button')));
    await waitFor(() => expect(screen.getByTestId('feedback').dataset.kind).toBe('queued'));
    await waitFor(() => expect(screen.getByTestId('outbox-count').dataset.count).toBe('1'));
    expect(screen.getByTestId('outbox-count').textContent).toContain('1 drawing waiting to be sent');

    await act(async () => fireEvent.click(screen.getByTestId('reconnect-button')));
    expect(FakeWebSocket.instances).toHaveLength(2);
    const ws2 = FakeWebSocket.last;
    await act(async () => ws2.open());
    expect(ws2.frames()[0]).toMatchObject({ type: 'hello', session: 'sess-1' });
    await act(async () => welcome(ws2));
    await waitFor(() => expect(ws2.frames().some((f) => f.type === 'submit')).toBe(true));
    const sub = ws2.frames().find((f) => f.type === 'submit');
    if (sub?.type !== 'submit') throw new Error('no submit');
    await act(async () =>
      ws2.receive({
        type: 'ack',
        key: sub.key,
        id: 'drawing-2',
        shape: 'heart',
        quality: 0.8,
        next: circle,
        streak: { current: 1, best: 1, days: 1 },
        stats: { total: 1, session: 1, today: 1 },
      }),
    );
    await waitFor(() => expect(screen.getByTestId('outbox-count').dataset.count).toBe('0'));
    expect(screen.getByTestId('ack-message').dataset.drawingId).toBe('drawing-2');
  });

  it('undoes the last stroke and tells the server', async () => {
    render(<PlayPage />);
    const ws = await connect();
    const canvas = screen.getByTestId('draw-canvas');
    await drawStroke(canvas, [
      [10, 10],
      [20, 20],
    ]);
    await drawStroke(canvas, [
      [30, 30],
      [40, 40],
    ]);
    expect(canvas.dataset.strokes).toBe('2');
    await act(async () => fireEvent.click(screen.getByTestId('undo-button')));
    expect(canvas.dataset.strokes).toBe('1');
    expect(ws.frames().at(-1)).toEqual({ type: 'undo' });
    await act(async () => fireEvent.keyDown(window, { key: 'z', ctrlKey: true }));
    expect(canvas.dataset.strokes).toBe('0');
    expect((screen.getByTestId('submit-button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the live guess in its fixed line', async () => {
    render(<PlayPage />);
    const ws = await connect();
    const guess = screen.getByTestId('guess');
    expect(guess.textContent).toBe('');
    await act(async () => ws.receive({ type: 'guess', predictions: [['circle', 0.87]], model: 'v1' }));
    expect(guess.textContent).toBe("I think it's a circle (87%)");
    expect(guess.dataset.shape).toBe('circle');
  });

  it('explains a refused drawing', async () => {
    render(<PlayPage />);
    const ws = await connect();
    await drawStroke(screen.getByTestId('draw-canvas'), [
      [10, 10],
      [20, 20],
    ]);
    await act(async () => fireEvent.click(screen.getByTestId('submit-button')));
    await waitFor(() => expect(ws.frames().some((f) => f.type === 'submit')).toBe(true));
    const sub = ws.frames().find((f) => f.type === 'submit');
    if (sub?.type !== 'submit') throw new Error('no submit');
    await act(async () =>
      ws.receive({
        type: 'error',
        code: 'invalid_drawing',
        message: 'the drawing is not valid',
        details: [{ field: 'strokes[0].points', message: 'a stroke needs at least one point' }],
        key: sub.key,
      }),
    );
    await waitFor(() => expect(screen.getByTestId('rejected-message').textContent).toContain('a stroke needs at least one point'));
  });
});
