// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../test/fakeWebSocket';
import { AdminPage } from './AdminPage';

// Canvas charts draw nothing in happy-dom; a stand-in keeps what each chart was given.
vi.mock('react-chartjs-2', () => ({
  Bar: ({ data }: { data: { labels: string[] } }) => <canvas data-chart="bar" data-labels={data.labels.join(',')} />,
  Line: ({ data }: { data: { labels: string[]; datasets: { data: ({ x: number } | number | null)[] }[] } }) => (
    // A linear x axis (training steps) carries its x values in the points, not in labels.
    <canvas
      data-chart="line"
      data-labels={(data.labels.length ? data.labels : (data.datasets[0]?.data ?? []).map((p) => (typeof p === 'object' && p ? p.x : ''))).join(',')}
    />
  ),
}));

interface Req {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Handler = (req: Req) => Response | Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const STATS = {
  totals: { drawings: 1234, flagged: 5, deleted: 2, synthetic: 1000, generated: 0 },
  perShape: [{ shape: 'circle', count: 600 }, { shape: 'line', count: 634 }],
  perDay: [{ day: '2026-01-01', count: 3 }],
  perDevice: [{ device: 'mouse', count: 1234 }],
  quality: { buckets: [{ from: 0, to: 0.5, count: 34 }, { from: 0.5, to: 1, count: 1200 }] },
  ingest: { backlog: 3, lagMs: 420 },
  activeModel: { id: 'm2', version: 2, accuracy: 0.97 },
};

const row = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  shape: 'circle',
  createdAt: '2026-01-02T10:00:00Z',
  quality: 0.8,
  flagged: false,
  flagReason: null,
  deleted: false,
  device: 'mouse',
  synthetic: false,
  sessionId: 'sess-1',
  strokeCount: 1,
  pointCount: 3,
  durationMs: 400,
  ...extra,
});

let calls: Req[];
let routes: Record<string, Handler>;

function install(extra: Record<string, Handler> = {}) {
  routes = {
    'GET /api/admin/session': () => json(200, { id: 'a1', email: 'admin@example.com', csrfToken: 'csrf-1' }),
    'GET /api/admin/stats': () => json(200, STATS),
    ...extra,
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), 'http://localhost');
      const req: Req = {
        method: init.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: (init.headers ?? {}) as Record<string, string>,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(req);
      const handler = routes[`${req.method} ${req.path}`];
      return handler ? handler(req) : json(404, { error: 'not_found', message: `no route ${req.method} ${req.path}` });
    }),
  );
}

const writes = () => calls.filter((c) => c.method !== 'GET');

describe('AdminPage', () => {
  // The signed-in shell is loaded on demand; load it once up front so no test waits on it.
  beforeAll(async () => {
    await import('./AdminShell');
  });

  beforeEach(() => {
    calls = [];
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    window.history.replaceState(null, '', '/admin');
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the login form when there is no session, and explains a wrong password', async () => {
    install({
      'GET /api/admin/session': () => json(401, { error: 'unauthorized', message: 'no session' }),
      'POST /api/admin/login': () => json(401, { error: 'invalid_credentials', message: 'bad' }),
    });
    render(<AdminPage />);
    const email = await screen.findByTestId('login-email');
    fireEvent.change(email, { target: { value: 'admin@example.com' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'wrong password' } });
    await act(async () => fireEvent.click(screen.getByTestId('login-submit')));
    const error = await screen.findByTestId('login-error');
    expect(error.getAttribute('data-code')).toBe('invalid_credentials');
    expect(error.textContent).toMatch(/do not match/);
    expect(calls.find((c) => c.path === '/api/admin/login')!.body).toEqual({ email: 'admin@example.com', password: 'wrong password' });
  });

  it('shows the wait a 429 imposes and keeps the form disabled meanwhile', async () => {
    install({
      'GET /api/admin/session': () => json(401, { error: 'unauthorized', message: 'no session' }),
      'POST /api/admin/login': () => json(429, { error: 'rate_limited', message: 'wait' }, { 'Retry-After': '90' }),
    });
    render(<AdminPage />);
    fireEvent.change(await screen.findByTestId('login-email'), { target: { value: 'admin@example.com' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'pw' } });
    await act(async () => fireEvent.click(screen.getByTestId('login-submit')));
    const wait = await screen.findByTestId('login-wait');
    expect(Number(wait.getAttribute('data-seconds'))).toBeGreaterThan(85);
    expect(wait.textContent).toMatch(/1:(29|30)/);
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'pw' } });
    expect((screen.getByTestId('login-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('signs in, then shows the dashboard with its numbers and charts', async () => {
    install({
      'GET /api/admin/session': () => json(401, { error: 'unauthorized', message: 'no session' }),
      'POST /api/admin/login': () => json(200, { id: 'a1', email: 'admin@example.com', csrfToken: 'csrf-9' }),
    });
    render(<AdminPage />);
    fireEvent.change(await screen.findByTestId('login-email'), { target: { value: 'admin@example.com' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'right password' } });
    await act(async () => fireEvent.click(screen.getByTestId('login-submit')));
    const total = await screen.findByTestId('stat-total');
    await waitFor(() => expect(total.getAttribute('data-value')).toBe('1234'));
    expect(total.textContent).toContain('1,234');
    expect(screen.getByTestId('stat-active-model').textContent).toContain('v2');
    const perShape = screen.getByTestId('chart-per-shape');
    expect(perShape.querySelector('canvas')!.getAttribute('data-labels')).toBe('line,circle,square,triangle,heart');
    expect(screen.getByTestId('admin-tab-dashboard').getAttribute('aria-current')).toBe('page');
    expect(FakeWebSocket.last.url).toMatch(/\/ws\/admin$/);
  });

  it('shows the live monitor from /ws/admin and returns to login when the socket says the session ended', async () => {
    install();
    render(<AdminPage />);
    await screen.findByTestId('live-monitor');
    const ws = FakeWebSocket.last;
    act(() => {
      ws.open();
      ws.receive({ type: 'hello', email: 'admin@example.com' });
      ws.receive({
        type: 'monitor',
        drawingsPerSecond: 3.5,
        perShape: { circle: 2 },
        connectedPlayers: 7,
        ingest: { backlog: 1, lagMs: 250 },
        workers: [{ name: 'worker-1', lastHeartbeatMs: 1000 }],
      });
    });
    expect(screen.getByTestId('monitor-players').textContent).toBe('7');
    expect(screen.getByTestId('monitor-rate').textContent).toBe('3.5');
    expect(screen.getByTestId('monitor-worker').getAttribute('data-stale')).toBe('false');
    expect(screen.getByTestId('admin-feed-status').getAttribute('data-state')).toBe('open');
    await act(async () => {
      ws.onclose?.({ code: 4401, reason: 'admin session ended' });
    });
    expect(await screen.findByTestId('login-notice')).toBeTruthy();
  });

  it('filters from the address bar, pages with Load more, and bulk-flags a whole filter after confirming', async () => {
    window.history.replaceState(null, '', '/admin/data?shape=circle&flagged=false');
    install({
      'GET /api/admin/drawings': (req) =>
        req.query.get('cursor') === 'c2'
          ? json(200, { items: [row('d3')], nextCursor: null })
          : json(200, { items: [row('d1'), row('d2')], nextCursor: 'c2' }),
      'POST /api/admin/drawings/bulk': () => json(200, { affected: 17 }),
    });
    render(<AdminPage />);
    const cards = await screen.findAllByTestId('drawing-card');
    expect(cards.map((c) => c.getAttribute('data-drawing-id'))).toEqual(['d1', 'd2']);
    const first = calls.find((c) => c.path === '/api/admin/drawings')!;
    expect(first.query.toString()).toBe('shape=circle&flagged=false&deleted=false&limit=48');
    expect((screen.getByTestId('filter-shape') as HTMLSelectElement).value).toBe('circle');
    expect((screen.getByTestId('filter-flagged') as HTMLSelectElement).value).toBe('false');
    const img = cards[0]!.querySelector('img')!;
    expect(img.getAttribute('src')).toBe('/api/admin/drawings/d1/thumbnail.png?size=96');

    await act(async () => fireEvent.click(screen.getByTestId('load-more')));
    await waitFor(() => expect(screen.getAllByTestId('drawing-card')).toHaveLength(3));
    expect(screen.getByTestId('list-end')).toBeTruthy();

    fireEvent.click(screen.getByTestId('bulk-scope-filter'));
    fireEvent.click(screen.getByTestId('bulk-apply'));
    const dialog = screen.getByTestId('bulk-confirm');
    expect(within(dialog).getByTestId('bulk-confirm-filter').textContent).toContain('Shape is circle');
    expect(within(dialog).getByTestId('bulk-confirm-filter').textContent).toContain('Not flagged');
    await act(async () => fireEvent.click(within(dialog).getByTestId('confirm-ok')));
    const bulk = writes().find((c) => c.path === '/api/admin/drawings/bulk')!;
    expect(bulk.headers['X-CSRF-Token']).toBe('csrf-1');
    expect(bulk.body).toEqual({ action: 'flag', filter: { shape: 'circle', flagged: false, deleted: false } });
    expect((await screen.findByTestId('bulk-result')).textContent).toContain('17 drawings updated');
  });

  it('keeps filter changes in the address bar', async () => {
    window.history.replaceState(null, '', '/admin/data');
    install({ 'GET /api/admin/drawings': () => json(200, { items: [], nextCursor: null }) });
    render(<AdminPage />);
    const flagged = await screen.findByTestId('filter-flagged');
    await act(async () => fireEvent.change(flagged, { target: { value: 'true' } }));
    expect(window.location.search).toBe('?flagged=true');
    const qmin = screen.getByTestId('filter-qmin');
    fireEvent.change(qmin, { target: { value: '0.4' } });
    expect(window.location.search).toBe('?flagged=true');
    await act(async () => fireEvent.keyDown(qmin, { key: 'Enter' }));
    expect(window.location.search).toBe('?qmin=0.4&flagged=true');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/admin/drawings' && c.query.get('qmin') === '0.4')).toBe(true));
    expect(await screen.findByTestId('no-results')).toBeTruthy();
  });

  it('opens a drawing, replays it and flags it with a reason', async () => {
    window.history.replaceState(null, '', '/admin/data');
    install({
      'GET /api/admin/drawings': () => json(200, { items: [row('d1')], nextCursor: null }),
      'GET /api/admin/drawings/d1': () =>
        json(200, { ...row('d1'), strokes: [{ x: [1, 2, 3], y: [1, 2, 3], t: [0, 200, 400], p: [0.5, 0.5, 0.5] }], canvas: { width: 400, height: 300 } }),
      'POST /api/admin/drawings/d1/flag': () => json(200, { ok: true }),
    });
    render(<AdminPage />);
    const card = await screen.findByTestId('drawing-card');
    await act(async () => fireEvent.click(within(card).getByTestId('drawing-open')));
    expect(window.location.search).toBe('?drawing=d1');
    const replay = await screen.findByTestId('detail-replay');
    expect(replay.getAttribute('data-duration')).toBe('400');
    fireEvent.change(screen.getByTestId('flag-reason'), { target: { value: 'scribble' } });
    await act(async () => fireEvent.click(screen.getByTestId('flag-button')));
    const flag = writes().find((c) => c.path === '/api/admin/drawings/d1/flag')!;
    expect(flag.body).toEqual({ flagged: true, reason: 'scribble' });
    expect(flag.headers['X-CSRF-Token']).toBe('csrf-1');
    await waitFor(() => expect(screen.getByTestId('drawing-card').getAttribute('data-flagged')).toBe('true'));
    expect(screen.getByTestId('flag-button').getAttribute('data-action')).toBe('unflag');
  });

  it('returns to the login form when a call answers 401', async () => {
    window.history.replaceState(null, '', '/admin/data');
    install({ 'GET /api/admin/drawings': () => json(401, { error: 'unauthorized', message: 'session expired' }) });
    render(<AdminPage />);
    expect(await screen.findByTestId('login-notice')).toBeTruthy();
    expect(screen.getByTestId('admin-page').getAttribute('data-session')).toBe('signedOut');
  });

  it('lists model versions with the active one marked, compares two and activates one after confirming', async () => {
    window.history.replaceState(null, '', '/admin/models');
    // As workers/training/metadata.py records them: per-class values keyed by class name.
    const metrics = (acc: number) => ({
      accuracy: acc,
      loss: 0.2,
      classes: ['line', 'circle'],
      precision: { line: 0.9, circle: 0.8 },
      recall: { line: 0.7, circle: 0.95 },
      confusion: [
        [7, 3],
        [1, 19],
      ],
      history: [{ epoch: 1, loss: 0.3, accuracy: 0.8, val_accuracy: acc }],
    });
    const dataset = (total: number) => ({
      selection: { shape_ids: [1, 2], min_quality: 0.5, synthetic: true },
      counts: { line: total / 2, circle: total / 2 },
      total,
    });
    const models = [
      { id: 'm1', kind: 'classifier', version: 1, isActive: false, accuracy: 0.8, metrics: metrics(0.8), dataset: dataset(100), createdAt: '2026-01-01T00:00:00Z', activatedAt: null },
      { id: 'm2', kind: 'classifier', version: 2, isActive: true, accuracy: 0.9, metrics: metrics(0.9), dataset: dataset(200), createdAt: '2026-01-02T00:00:00Z', activatedAt: '2026-01-02T01:00:00Z' },
      { id: 'm3', kind: 'classifier', version: 3, isActive: false, accuracy: 0.95, metrics: metrics(0.95), dataset: dataset(300), createdAt: '2026-01-03T00:00:00Z', activatedAt: null },
    ];
    install({
      'GET /api/admin/models': () => json(200, { models }),
      'GET /api/admin/models/compare': (req) =>
        json(200, {
          a: { ...models.find((m) => m.id === req.query.get('a')), shapes: ['line', 'circle'], sampleAccuracy: 0.7 },
          b: { ...models.find((m) => m.id === req.query.get('b')), shapes: ['line', 'circle'], sampleAccuracy: 0.9 },
          changed: [{ drawingId: 'v1', shape: 'circle', a: { shape: 'line', confidence: 0.6 }, b: { shape: 'circle', confidence: 0.9 } }],
          evaluated: 30,
        }),
      'POST /api/admin/models/m1/activate': () => json(200, { id: 'm1', version: 1, isActive: true }),
    });
    render(<AdminPage />);
    const rows = await screen.findAllByTestId('model-row');
    expect(rows.map((r) => [r.getAttribute('data-version'), r.getAttribute('data-active')])).toEqual([
      ['3', 'false'],
      ['2', 'true'],
      ['1', 'false'],
    ]);
    expect(rows.filter((r) => r.getAttribute('data-active') === 'true')).toHaveLength(1);

    fireEvent.click(within(rows[0]!).getByTestId('compare-select'));
    fireEvent.click(within(rows[2]!).getByTestId('compare-select'));
    await act(async () => fireEvent.click(screen.getByTestId('compare-button')));
    const compare = await screen.findByTestId('model-compare');
    expect(compare.getAttribute('data-a')).toBe('1');
    expect(compare.getAttribute('data-b')).toBe('3');
    const compareCall = calls.find((c) => c.path === '/api/admin/models/compare')!;
    expect(compareCall.query.get('a')).toBe('m1');
    const changed = await screen.findAllByTestId('compare-changed-item');
    expect(changed[0]!.getAttribute('data-outcome')).toBe('fixed');
    expect(within(screen.getByTestId('confusion-a')).getAllByRole('row')).toHaveLength(3);
    const circle = within(screen.getByTestId('compare-per-class')).getByText('circle').closest('tr')!;
    expect(circle.textContent).toContain('80.0%'); // precision of circle, read by name
    expect(screen.getByTestId('compare-sample-accuracy').textContent).toContain('+20.0 pp');

    const rollBack = within(rows[2]!).getByTestId('activate-button');
    expect(rollBack.textContent).toBe('Roll back');
    fireEvent.click(rollBack);
    await act(async () => fireEvent.click(within(screen.getByTestId('activate-confirm')).getByTestId('confirm-ok')));
    const activate = writes().find((c) => c.path === '/api/admin/models/m1/activate')!;
    expect(activate.headers['X-CSRF-Token']).toBe('csrf-1');
    expect((await screen.findByTestId('models-status')).textContent).toContain('Rolled back to version 1');
  });

  it('starts a training job from the form and follows its progress over the socket', async () => {
    window.history.replaceState(null, '', '/admin/training');
    let jobs: unknown[] = [];
    install({
      'GET /api/admin/training': () => json(200, { jobs }),
      'POST /api/admin/training/start': (req) => {
        jobs = [{ id: 'job-1', status: 'queued', createdAt: '2026-01-01T00:00:00Z', config: req.body }];
        return json(201, jobs[0]);
      },
      'GET /api/admin/training/job-1': () => json(200, jobs[0]),
    });
    render(<AdminPage />);
    const epochs = await screen.findByTestId('training-epochs');
    fireEvent.change(epochs, { target: { value: '3' } });
    fireEvent.click(screen.getByTestId('training-shape-heart'));
    fireEvent.click(screen.getByTestId('training-synthetic'));
    await act(async () => fireEvent.click(screen.getByTestId('training-start')));
    const start = writes().find((c) => c.path === '/api/admin/training/start')!;
    expect(start.body).toMatchObject({
      kind: 'classifier',
      config: { shape_ids: [1, 2, 3, 4], epochs: 3, batch_size: 256 },
      selection: { synthetic: false, min_quality: 0.5 },
    });
    const job = await screen.findByTestId('training-job');
    expect(job.getAttribute('data-status')).toBe('queued');

    const ws = FakeWebSocket.last;
    act(() => {
      ws.open();
      // As the worker publishes them (workers/train_job.py, workers/heartbeat.py).
      ws.receive({ type: 'training', jobId: 'job-1', status: 'running', worker: 'w1' });
      ws.receive({ type: 'training', jobId: 'job-1', status: 'running', phase: 'loading', loaded: 10, selected: 100 });
      for (const step of [10, 20, 30]) {
        ws.receive({ type: 'training', jobId: 'job-1', status: 'running', phase: 'train', epoch: 1, epochs: 3, step, steps: 90, loss: 1 / step, accuracy: 0.5 + step / 100, etaS: 90 - step });
      }
    });
    const progress = screen.getByTestId('training-progress');
    expect(progress.getAttribute('data-status')).toBe('running');
    expect(progress.getAttribute('data-step')).toBe('30');
    expect(screen.getByTestId('chart-loss').querySelector('canvas')!.getAttribute('data-labels')).toBe('10,20,30');
    expect(screen.getByTestId('training-job').getAttribute('data-status')).toBe('running');
    expect(screen.getByTestId('training-phase').getAttribute('data-phase')).toBe('train');
  });
});
