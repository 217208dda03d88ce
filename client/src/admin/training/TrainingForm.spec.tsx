// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderAdmin, type ApiCall } from '../../test/adminHarness';
import { TrainingForm } from './TrainingForm';

const job = (call: ApiCall) => ({ id: 'job-1', kind: (call.body as { kind: string }).kind, status: 'queued' });

const value = (testId: string) => (screen.getByTestId(testId) as HTMLInputElement).value;

describe('TrainingForm', () => {
  afterEach(cleanup);

  it('starts a classifier by default, with its width and without generator fields', async () => {
    const onStarted = vi.fn();
    const { calls } = renderAdmin(<TrainingForm onStarted={onStarted} />, { 'POST /api/admin/training/start': job });
    expect((screen.getByTestId('training-kind-classifier') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId('training-hidden')).toBeNull();
    expect(screen.queryByTestId('training-latent-dim')).toBeNull();
    fireEvent.change(screen.getByTestId('training-width'), { target: { value: '4' } });
    fireEvent.change(screen.getByTestId('training-epochs'), { target: { value: '1' } });
    await act(async () => fireEvent.click(screen.getByTestId('training-start')));
    expect(calls[0]!.body).toEqual({
      kind: 'classifier',
      config: { shape_ids: [1, 2, 3, 4, 5], epochs: 1, batch_size: 256, lr: 0.003, width: 4 },
      selection: { min_quality: 0.5, created_from: null, created_to: null, synthetic: true, generated: false },
    });
    expect(onStarted).toHaveBeenCalledWith(expect.objectContaining({ id: 'job-1', kind: 'classifier' }));
  });

  it('switches to a generator: its own numbers and defaults, the same selection filters', async () => {
    const onStarted = vi.fn();
    const { calls } = renderAdmin(<TrainingForm onStarted={onStarted} />, { 'POST /api/admin/training/start': job });
    fireEvent.change(screen.getByTestId('training-epochs'), { target: { value: '3' } });
    fireEvent.click(screen.getByTestId('training-synthetic'));
    fireEvent.click(screen.getByTestId('training-kind-generator'));

    expect(screen.queryByTestId('training-width')).toBeNull();
    expect(value('training-epochs')).toBe('30');
    expect(value('training-hidden')).toBe('512');
    expect(value('training-latent-dim')).toBe('16');
    fireEvent.change(screen.getByTestId('training-hidden'), { target: { value: '64' } });
    // A generator may learn a single shape.
    for (const shape of ['line', 'circle', 'square', 'triangle']) fireEvent.click(screen.getByTestId(`training-shape-${shape}`));
    await act(async () => fireEvent.click(screen.getByTestId('training-start')));

    expect(calls[0]!.body).toEqual({
      kind: 'generator',
      config: { shape_ids: [5], epochs: 30, batch_size: 128, lr: 0.002, hidden: 64, latent_dim: 16 },
      selection: { min_quality: 0.5, created_from: null, created_to: null, synthetic: false, generated: false },
    });
    expect(onStarted).toHaveBeenCalledWith(expect.objectContaining({ kind: 'generator' }));

    // Back to the classifier: its edited epochs are still there.
    fireEvent.click(screen.getByTestId('training-kind-classifier'));
    expect(value('training-epochs')).toBe('3');
  });

  it('refuses a one-shape classifier and a latent size over the server\u2019s bound, sending nothing', async () => {
    const { calls } = renderAdmin(<TrainingForm onStarted={vi.fn()} />, {});
    for (const shape of ['line', 'circle', 'square', 'triangle']) fireEvent.click(screen.getByTestId(`training-shape-${shape}`));
    await act(async () => fireEvent.click(screen.getByTestId('training-start')));
    expect(screen.getByText(/at least two shapes/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('training-kind-generator'));
    expect(screen.queryByText(/at least two shapes/)).toBeNull();
    fireEvent.change(screen.getByTestId('training-latent-dim'), { target: { value: '300' } });
    await act(async () => fireEvent.click(screen.getByTestId('training-start')));
    expect(screen.getByTestId('training-latent-dim').getAttribute('aria-invalid')).toBe('true');
    expect(calls).toEqual([]);
  });

  it('shows every field the server refused', async () => {
    renderAdmin(<TrainingForm onStarted={vi.fn()} />, {
      'POST /api/admin/training/start': () =>
        jsonResponse(400, { error: 'invalid_config', message: 'the training request is invalid', details: [{ field: 'config.hidden', message: 'at most 4096' }] }),
    });
    fireEvent.click(screen.getByTestId('training-kind-generator'));
    await act(async () => fireEvent.click(screen.getByTestId('training-start')));
    const error = await screen.findByTestId('training-error');
    expect(error.textContent).toContain('the training request is invalid');
    expect(error.textContent).toContain('config.hidden: at most 4096');
  });
});
