// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../test/fakeWebSocket';
import { encodeWatchServerFrame, type WatchServerFrame } from '../watchProtocol';
import { WatchPage } from './WatchPage';

const pts = (xs: number[]) => ({
  x: new Float32Array(xs),
  y: new Float32Array(xs),
  t: new Uint32Array(xs.map((_, i) => i * 16)),
  p: new Float32Array(xs.map(() => 0.5)),
});

function send(ws: FakeWebSocket, frame: WatchServerFrame) {
  const bytes = encodeWatchServerFrame(frame);
  ws.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
}

describe('WatchPage', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the live drawings and leaderboards from the snapshot, then every change', async () => {
    render(<WatchPage />);
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.last;
    expect(ws.url).toMatch(/\/ws\/watch$/);
    await act(async () => ws.open());
    await act(async () =>
      send(ws, {
        type: 'snapshot',
        live: [{ live: 'l1', nickname: 'Brave Otter', shape: 'heart', strokes: [pts([1, 2, 3])] }],
        leaderboards: { today: [['Brave Otter', 3]], all: [['Quiet Lynx', 40], ['Brave Otter', 3]], streak: [] },
      }),
    );
    await waitFor(() => expect(screen.getByTestId('watch-connection').dataset.state).toBe('live'));
    const tiles = screen.getAllByTestId('live-tile');
    expect(tiles).toHaveLength(6);
    expect(tiles[0]!.dataset).toMatchObject({ state: 'drawing', nickname: 'Brave Otter', shape: 'heart' });
    expect(tiles[0]!.textContent).toContain('Brave Otter');
    expect(tiles[0]!.textContent).toContain('a heart');
    expect(tiles[1]!.dataset.state).toBe('empty');

    const all = screen.getByTestId('leaderboard-all');
    const entries = all.querySelectorAll('[data-testid="leaderboard-entry"]');
    expect(Array.from(entries, (e) => (e as HTMLElement).dataset.nickname)).toEqual(['Quiet Lynx', 'Brave Otter']);

    await act(async () => send(ws, { type: 'points', live: 'l2', nickname: 'Calm Heron', shape: 'circle', stroke: 0, ...pts([5]) }));
    await waitFor(() => expect(screen.getAllByTestId('live-tile')[1]!.dataset.nickname).toBe('Calm Heron'));
    expect(screen.getByTestId('live-count').dataset.count).toBe('2');

    await act(async () => send(ws, { type: 'done', live: 'l1', id: 'd-9', shape: 'heart', nickname: 'Brave Otter' }));
    await waitFor(() => expect(screen.getAllByTestId('live-tile')[0]!.dataset.state).toBe('done'));
    expect(screen.getAllByTestId('live-tile')[0]!.dataset.drawingId).toBe('d-9');
    expect(screen.getByTestId('watch-announcement').textContent).toBe('Brave Otter finished a heart.');

    await act(async () => send(ws, { type: 'leaderboards', today: [['Brave Otter', 4]], all: [], streak: [['Brave Otter', 4]] }));
    await waitFor(() =>
      expect(
        (screen.getByTestId('leaderboard-today').querySelector('[data-testid="leaderboard-entry"]') as HTMLElement).dataset.score,
      ).toBe('4'),
    );
  });
});
