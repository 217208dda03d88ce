// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAdmin, type ApiCall } from '../../test/adminHarness';
import { ModelsSection } from './ModelsSection';

const row = (kind: string, id: string, version: number, isActive: boolean, metrics: Record<string, unknown>) => ({
  id,
  kind,
  version,
  isActive,
  metrics,
  dataset: { total: 100 * version },
  createdAt: '2026-01-01T00:00:00Z',
  activatedAt: null,
});

// Each kind numbers its own versions (store/models.py): both lists have a version 1.
const MODELS: Record<string, unknown[]> = {
  classifier: [row('classifier', 'c1', 1, true, { accuracy: 0.91 }), row('classifier', 'c2', 2, false, { accuracy: 0.95 })],
  generator: [row('generator', 'g1', 1, true, { loss: -3, point_rmse: 0.038, stroke_accuracy: 0.97 }), row('generator', 'g2', 2, false, { point_rmse: 0.035 })],
};

const routes = {
  'GET /api/admin/models': (call: ApiCall) => ({ models: MODELS[call.query.get('kind') ?? ''] ?? [] }),
  'POST /api/admin/models/g2/activate': () => ({ ...(MODELS.generator![1] as object), isActive: true }),
};

const headers = () => within(screen.getByTestId('model-table')).getAllByRole('columnheader').map((h) => h.textContent);

describe('ModelsSection', () => {
  afterEach(cleanup);

  it('lists classifiers first, comparable, with their accuracy', async () => {
    const { calls } = renderAdmin(<ModelsSection />, routes);
    const rows = await screen.findAllByTestId('model-row');
    expect(calls[0]!.query.get('kind')).toBe('classifier');
    expect(rows.map((r) => [r.dataset.kind, r.dataset.version])).toEqual([
      ['classifier', '2'],
      ['classifier', '1'],
    ]);
    expect(headers()).toEqual(['Compare', 'Version', 'Created', 'Accuracy', 'Dataset', 'Activated', 'Actions']);
    expect(screen.getAllByTestId('compare-select')).toHaveLength(2);
    expect(screen.getByTestId('active-model').textContent).toBe('Live classifier: version 1 (91.0% accuracy)');
    expect(within(rows[0]!).getByTestId('model-dataset').dataset.value).toBe('200');
  });

  it('switches to generators: their own versions and active one, point error, no comparison', async () => {
    const { calls } = renderAdmin(<ModelsSection />, routes);
    await screen.findAllByTestId('model-row');
    await act(async () => fireEvent.click(screen.getByTestId('models-kind-generator')));
    expect(calls.at(-1)!.query.get('kind')).toBe('generator');
    const rows = await screen.findAllByTestId('model-row');
    expect(rows.map((r) => [r.dataset.kind, r.dataset.version, r.dataset.active])).toEqual([
      ['generator', '2', 'false'],
      ['generator', '1', 'true'],
    ]);
    expect(headers()).toEqual(['Version', 'Created', 'Point error', 'Dataset', 'Activated', 'Actions']);
    expect(rows[0]!.textContent).toContain('3.5%');
    expect(screen.queryByTestId('compare-select')).toBeNull();
    expect(screen.queryByTestId('compare-button')).toBeNull();
    expect(screen.getByTestId('active-model').textContent).toBe('Live generator: version 1 (3.8% point error)');

    fireEvent.click(within(rows[0]!).getByTestId('activate-button'));
    const dialog = screen.getByTestId('activate-confirm');
    expect(dialog.textContent).toContain('becomes the live generator for /lab');
    await act(async () => fireEvent.click(within(dialog).getByTestId('confirm-ok')));
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/admin/models/g2/activate')).toBe(true);
    expect((await screen.findByTestId('models-status')).textContent).toBe('Activated version 2. Servers load it within seconds.');
  });

  it('says when a kind has no version yet', async () => {
    renderAdmin(<ModelsSection />, { 'GET /api/admin/models': () => ({ models: [] }) });
    expect(await screen.findByText('No classifier yet: train one on the Training page.')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByTestId('models-kind-generator')));
    expect(await screen.findByText('No generator yet: train one on the Training page.')).toBeTruthy();
    expect(screen.getByTestId('active-model').textContent).toContain('No generator is active');
  });
});
