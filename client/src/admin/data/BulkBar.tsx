import { useId, useState } from 'react';
import { useAdmin } from '../adminContext';
import { bulkUpdate, type BulkRequest } from '../api/endpoints';
import type { BulkAction } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { formatCount } from '../ui/format';
import { describeFilter, type DrawingFilter } from './drawingFilter';

interface Props {
  readonly filter: DrawingFilter;
  readonly selected: readonly string[];
  /** The action went through: clear the selection and reload. */
  readonly onDone: () => void;
}

const ACTIONS: readonly { value: BulkAction; label: string; verb: string; danger?: boolean }[] = [
  { value: 'flag', label: 'Flag', verb: 'Flag' },
  { value: 'unflag', label: 'Unflag', verb: 'Unflag' },
  { value: 'delete', label: 'Delete (soft)', verb: 'Delete', danger: true },
  { value: 'restore', label: 'Restore', verb: 'Restore' },
  { value: 'quality', label: 'Set quality', verb: 'Set the quality of' },
];

type Scope = 'selected' | 'filter';

/** The bulk endpoint takes at most this many ids (game/curation.py MAX_BULK_IDS). */
export const MAX_BULK_IDS = 1000;

/** Bulk actions on the selected drawings or on every drawing the filter matches, confirmed first. */
export function BulkBar({ filter, selected, onDone }: Props) {
  const { client } = useAdmin();
  const id = useId();
  const [scope, setScope] = useState<Scope>('selected');
  const [action, setAction] = useState<BulkAction>('flag');
  const [reason, setReason] = useState('');
  const [quality, setQuality] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const spec = ACTIONS.find((a) => a.value === action)!;
  const q = Number(quality);
  const qualityOk = action !== 'quality' || (quality.trim() !== '' && Number.isFinite(q) && q >= 0 && q <= 1);
  const effectiveScope: Scope = scope === 'selected' && selected.length === 0 ? 'filter' : scope;
  const tooMany = effectiveScope === 'selected' && selected.length > MAX_BULK_IDS;
  const lines = describeFilter(filter);
  const target = effectiveScope === 'selected' ? `${formatCount(selected.length)} selected drawing${selected.length === 1 ? '' : 's'}` : 'every drawing matching the filter';

  const run = async () => {
    const request: BulkRequest = {
      action,
      target: effectiveScope === 'selected' ? { ids: selected } : { filter },
      ...(action === 'flag' && reason.trim() ? { reason: reason.trim() } : {}),
      ...(action === 'quality' ? { quality: q } : {}),
    };
    setBusy(true);
    try {
      const { affected } = await bulkUpdate(client, request);
      setResult({ ok: true, text: `${spec.label}: ${formatCount(affected)} drawing${affected === 1 ? '' : 's'} updated.` });
      setConfirming(false);
      onDone();
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bulk-bar card" role="group" aria-labelledby={`${id}-title`} data-testid="bulk-bar">
      <h3 id={`${id}-title`} className="sr-only">
        Bulk actions
      </h3>
      <fieldset className="bulk-scope">
        <legend>Apply to</legend>
        <label className="check">
          <input type="radio" name={`${id}-scope`} checked={effectiveScope === 'selected'} disabled={selected.length === 0} onChange={() => setScope('selected')} data-testid="bulk-scope-selected" />
          Selected ({formatCount(selected.length)})
        </label>
        <label className="check">
          <input type="radio" name={`${id}-scope`} checked={effectiveScope === 'filter'} onChange={() => setScope('filter')} data-testid="bulk-scope-filter" />
          Everything matching the filter
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-action`}>Action</label>
        <select id={`${id}-action`} value={action} onChange={(e) => setAction(e.target.value as BulkAction)} data-testid="bulk-action">
          {ACTIONS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      {action === 'flag' ? (
        <div className="field field-wide">
          <label htmlFor={`${id}-reason`}>Reason (optional)</label>
          <input id={`${id}-reason`} type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="bulk-reason" />
        </div>
      ) : null}
      {action === 'quality' ? (
        <div className="field">
          <label htmlFor={`${id}-quality`}>Quality (0–1)</label>
          <input id={`${id}-quality`} type="number" min={0} max={1} step="any" inputMode="decimal" value={quality} onChange={(e) => setQuality(e.target.value)} aria-invalid={!qualityOk} data-testid="bulk-quality" />
        </div>
      ) : null}
      <div className="field field-action">
        <button type="button" className="btn btn-primary btn-small" disabled={!qualityOk || busy || tooMany} onClick={() => setConfirming(true)} data-testid="bulk-apply">
          {spec.label}…
        </button>
      </div>
      <p className={`bulk-result ${result?.ok === false || tooMany ? 'error-text' : 'muted'}`} role="status" data-testid="bulk-result" data-ok={result?.ok ?? ''}>
        {tooMany ? `At most ${formatCount(MAX_BULK_IDS)} selected drawings at once: narrow the filter and apply to all of it instead.` : (result?.text ?? '')}
      </p>
      <ConfirmDialog
        open={confirming}
        title={`${spec.verb} ${target}?`}
        confirmLabel={spec.label}
        danger={spec.danger ?? false}
        busy={busy}
        onConfirm={run}
        onCancel={() => setConfirming(false)}
        testId="bulk-confirm"
      >
        {effectiveScope === 'filter' ? (
          lines.length ? (
            <>
              <p>Every drawing where:</p>
              <ul data-testid="bulk-confirm-filter">
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="error-text" data-testid="bulk-confirm-filter">
              No filter is set: this applies to every drawing in the dataset.
            </p>
          )
        ) : (
          <p>The {formatCount(selected.length)} drawings you selected.</p>
        )}
        {action === 'flag' && reason.trim() ? <p>Reason: {reason.trim()}</p> : null}
        {action === 'quality' ? <p>New quality score: {quality}</p> : null}
        {action === 'delete' ? <p className="muted">Deleted drawings leave training at once and can be restored until the retention job purges them.</p> : null}
      </ConfirmDialog>
    </div>
  );
}
