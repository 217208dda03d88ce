import { useState } from 'react';
import { useAdmin } from '../adminContext';
import { cancelJob } from '../api/endpoints';
import { IN_FLIGHT, type TrainingJob } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { DataTable, type Column } from '../ui/DataTable';
import { formatDateTime, formatDuration, formatPercent } from '../ui/format';
import { JobStatusBadge } from './JobStatusBadge';
import { completion } from './trainingProgress';

const COLUMNS: readonly Column[] = [
  { label: 'Job' },
  { label: 'Kind' },
  { label: 'Created' },
  { label: 'Status' },
  { label: 'Progress' },
  { label: 'Duration' },
  { label: 'Error' },
  { label: 'Actions', hidden: true },
];

interface Props {
  readonly jobs: readonly TrainingJob[];
  readonly selectedId: string | null;
  readonly onSelect: (id: string) => void;
  readonly onChanged: () => void;
  readonly loading: boolean;
}

/** Every job, newest first: kind, status, progress, duration, error; view one, cancel one in flight. */
export function JobList({ jobs, selectedId, onSelect, onChanged, loading }: Props) {
  const { client } = useAdmin();
  const [cancelling, setCancelling] = useState<TrainingJob | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const cancel = async () => {
    if (!cancelling) return;
    setBusy(true);
    setProblem(null);
    try {
      await cancelJob(client, cancelling.id);
      onChanged();
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
      setCancelling(null);
    }
  };

  return (
    <section className="card job-list" aria-labelledby="jobs-title">
      <h3 id="jobs-title">Jobs</h3>
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
      <DataTable columns={COLUMNS} testId="training-jobs" busy={loading} empty={jobs.length > 0 ? null : loading ? 'Loading…' : 'No jobs yet.'}>
        {jobs.map((job) => {
          const done = completion(job.progress, job.status);
          const inFlight = IN_FLIGHT.has(job.status);
          return (
            <tr key={job.id} className={job.id === selectedId ? 'is-selected' : undefined} data-testid="training-job" data-job-id={job.id} data-kind={job.kind} data-status={job.status} aria-current={job.id === selectedId ? 'true' : undefined}>
              <th scope="row" className="mono">
                {job.id.slice(0, 8)}
              </th>
              <td data-testid="job-kind">{job.kind}</td>
              <td>{formatDateTime(job.createdAt)}</td>
              <td>
                <JobStatusBadge status={job.status} />
              </td>
              <td className="tabular">{done === null ? '–' : formatPercent(done, 0)}</td>
              <td className="tabular">{formatDuration(job.durationS === null ? null : job.durationS * 1000)}</td>
              <td className="error-cell">{job.error ? <span className="error-text" title={job.error}>{job.error}</span> : '–'}</td>
              <td className="row-actions">
                <button type="button" className="btn btn-small" onClick={() => onSelect(job.id)} aria-pressed={job.id === selectedId} data-testid="training-view">
                  View
                </button>
                {inFlight && job.cancelRequested ? (
                  <span className="muted small">Cancelling…</span>
                ) : inFlight ? (
                  <button type="button" className="btn btn-small btn-danger-outline" onClick={() => setCancelling(job)} data-testid="training-cancel">
                    Cancel
                  </button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </DataTable>
      <ConfirmDialog
        open={cancelling !== null}
        title="Cancel this training job?"
        confirmLabel="Cancel job"
        danger
        busy={busy}
        onConfirm={cancel}
        onCancel={() => setCancelling(null)}
        testId="cancel-confirm"
      >
        <p>
          Job <span className="mono">{cancelling?.id.slice(0, 8)}</span> stops at its next step; no model is recorded from it.
        </p>
      </ConfirmDialog>
    </section>
  );
}
