// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { toJob } from '../api/normalize';
import { renderAdmin } from '../../test/adminHarness';
import { JobList } from './JobList';

const noop = () => {};

describe('JobList', () => {
  afterEach(cleanup);

  it('shows each job\u2019s kind beside its status', () => {
    const jobs = [
      toJob({ id: 'g0000000-1', kind: 'generator', status: 'running' }),
      toJob({ id: 'c0000000-1', kind: 'classifier', status: 'succeeded' }),
    ];
    renderAdmin(<JobList jobs={jobs} selectedId={null} onSelect={noop} onChanged={noop} loading={false} />, {});
    const rows = screen.getAllByTestId('training-job');
    expect(rows.map((r) => [r.dataset.kind, within(r).getByTestId('job-kind').textContent, r.dataset.status])).toEqual([
      ['generator', 'generator', 'running'],
      ['classifier', 'classifier', 'succeeded'],
    ]);
    expect(within(screen.getByTestId('training-jobs')).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Job',
      'Kind',
      'Created',
      'Status',
      'Progress',
      'Duration',
      'Error',
      'Actions',
    ]);
    expect(within(rows[0]!).getByTestId('training-cancel')).toBeTruthy();
    expect(within(rows[1]!).queryByTestId('training-cancel')).toBeNull();
  });

  it.each([
    [true, 'Loading…'],
    [false, 'No jobs yet.'],
  ])('spans the whole table with why it is empty (loading: %s)', (loading, text) => {
    renderAdmin(<JobList jobs={[]} selectedId={null} onSelect={noop} onChanged={noop} loading={loading} />, {});
    const cells = within(screen.getByTestId('training-jobs')).getAllByRole('cell');
    expect(cells.map((c) => [c.textContent, c.getAttribute('colspan')])).toEqual([[text, '8']]);
  });
});
