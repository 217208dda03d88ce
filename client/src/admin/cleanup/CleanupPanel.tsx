import { useId, useState } from 'react';
import { useAdmin } from '../adminContext';
import { runCleanup } from '../api/endpoints';
import type { CleanupResult } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { formatCount, formatDateTime } from '../ui/format';

// game/cleanup.py: DEFAULT_BATCH and MAX_BATCH.
const DEFAULT_BATCH = 1000;
const MAX_BATCH = 10_000;

/**
 * Retention by hand: a dry run says how many soft-deleted drawings would be purged and how many
 * flagged ones archived; the real run (confirmed) does it. The same job also runs on schedule.
 */
export function CleanupPanel() {
  const { client } = useAdmin();
  const id = useId();
  const [batch, setBatch] = useState(String(DEFAULT_BATCH));
  const [busy, setBusy] = useState<'dry' | 'real' | null>(null);
  const [result, setResult] = useState<CleanupResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const size = Number(batch);
  const sizeOk = Number.isInteger(size) && size >= 1 && size <= MAX_BATCH;

  const run = async (dryRun: boolean) => {
    setBusy(dryRun ? 'dry' : 'real');
    setError(null);
    try {
      setResult(await runCleanup(client, dryRun, size));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
      setConfirming(false);
    }
  };

  return (
    <section className="admin-section" aria-labelledby="cleanup-title" data-testid="cleanup">
      <div className="section-head">
        <h2 id="cleanup-title">Cleanup</h2>
      </div>
      <div className="card cleanup-card">
        <p>
          Retention purges drawings soft-deleted longer than the retention period and archives drawings flagged longer than theirs. Run it as a dry run first to see what it would do.
        </p>
        {/* noValidate: the checks are ours (the browser's step rules would block e.g. 1000). */}
        <form
          className="cleanup-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (sizeOk) void run(true);
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-batch`}>Batch size</label>
            <input id={`${id}-batch`} type="number" min={1} max={MAX_BATCH} step={1} value={batch} onChange={(e) => setBatch(e.target.value)} aria-invalid={!sizeOk} data-testid="cleanup-batch" />
          </div>
          <button type="submit" className="btn" disabled={busy !== null || !sizeOk} data-testid="cleanup-dry-run">
            {busy === 'dry' ? <span className="spinner" aria-hidden="true" /> : null}
            Dry run
          </button>
          <button type="button" className="btn btn-danger" disabled={busy !== null || !sizeOk || !result?.dryRun} onClick={() => setConfirming(true)} data-testid="cleanup-run" title={result?.dryRun ? undefined : 'Do a dry run first'}>
            Run for real…
          </button>
        </form>
        <div role="status" aria-live="polite" className="cleanup-result">
          {error ? <p className="notice notice-error">{error}</p> : null}
          {result ? (
            <p data-testid="cleanup-result" data-dry-run={result.dryRun} data-purged={result.purged} data-archived={result.archived}>
              {result.dryRun ? 'Dry run: would purge ' : 'Done: purged '}
              <strong className="tabular">{formatCount(result.purged)}</strong> deleted drawing{result.purged === 1 ? '' : 's'} and {result.dryRun ? 'archive ' : 'archived '}
              <strong className="tabular">{formatCount(result.archived)}</strong> flagged drawing{result.archived === 1 ? '' : 's'}.
              {result.deletedBefore || result.flaggedBefore ? (
                <span className="muted small">
                  {' '}
                  (deleted before {formatDateTime(result.deletedBefore ?? null)}; flagged before {formatDateTime(result.flaggedBefore ?? null)})
                </span>
              ) : null}
            </p>
          ) : (
            <p className="muted">No run yet.</p>
          )}
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Run retention for real?"
        confirmLabel="Purge and archive"
        danger
        busy={busy === 'real'}
        onConfirm={() => void run(false)}
        onCancel={() => setConfirming(false)}
        testId="cleanup-confirm"
      >
        <p>
          The dry run found {formatCount(result?.purged ?? 0)} drawings to purge and {formatCount(result?.archived ?? 0)} to archive. Purged drawings cannot be restored.
        </p>
      </ConfirmDialog>
    </section>
  );
}
