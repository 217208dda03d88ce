import { useEffect, useId, useRef, useState } from 'react';
import { navigate } from '../../app/router';
import { useAdmin } from '../adminContext';
import { deleteDrawing, flagDrawing, getDrawing, restoreDrawing, setQuality } from '../api/endpoints';
import type { DrawingDetail, DrawingRow } from '../api/types';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatDateTime, formatDuration, formatQuality } from '../ui/format';
import { useResource } from '../ui/useResource';
import { filterToSearch, EMPTY_FILTER } from './drawingFilter';
import { ReplayCanvas } from './ReplayCanvas';

interface Props {
  /** The drawing shown; null keeps the drawer closed. */
  readonly id: string | null;
  readonly onClose: () => void;
  /** A change went through: the grid updates its card. */
  readonly onChanged: (id: string, patch: Partial<DrawingRow>) => void;
}

/**
 * One drawing in a modal side drawer: the replay, its metadata, and flag / unflag with a
 * reason, delete / restore and a quality override. Focus is trapped while open and returns to
 * the card that opened it; Esc closes.
 */
export function DetailDrawer({ id, onClose, onChanged }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { client } = useAdmin();
  const detail = useResource((signal) => (id ? getDrawing(client, id, signal) : Promise.resolve(null)), [client, id]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (id && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!id && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [id]);

  const data = detail.data && detail.data.id === id ? detail.data : null;
  return (
    <dialog
      ref={ref}
      className="drawer"
      aria-labelledby={titleId}
      data-testid="detail-drawer"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside the panel) closes it.
        if (e.target === ref.current) onClose();
      }}
    >
      <div className="drawer-panel">
        <div className="drawer-head">
          <h2 id={titleId}>{data ? `${data.shape.charAt(0).toUpperCase()}${data.shape.slice(1)} drawing` : 'Drawing'}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close" data-testid="detail-close">
            ✕
          </button>
        </div>
        {id && detail.error ? <ErrorNotice error={detail.error} onRetry={detail.reload} /> : null}
        {id && !data && !detail.error ? (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> Loading…
          </p>
        ) : null}
        {data ? <DrawingDetailBody key={data.id} drawing={data} onChanged={onChanged} /> : null}
      </div>
    </dialog>
  );
}

function DrawingDetailBody({ drawing, onChanged }: { readonly drawing: DrawingDetail; readonly onChanged: Props['onChanged'] }) {
  const { client } = useAdmin();
  const id = useId();
  const [row, setRow] = useState<DrawingDetail>(drawing);
  const [reason, setReason] = useState('');
  const [quality, setQualityText] = useState(String(drawing.quality));
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const act = async (name: string, run: () => Promise<Partial<DrawingRow> | null>, expected: Partial<DrawingRow>, done: string) => {
    setBusy(name);
    setStatus(null);
    try {
      const fromServer = await run();
      const patch = { ...expected, ...(fromServer ?? {}) };
      setRow((r) => ({ ...r, ...patch, strokes: r.strokes, canvas: r.canvas }));
      onChanged(row.id, patch);
      setStatus({ ok: true, text: done });
    } catch (err) {
      setStatus({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(null);
    }
  };

  const q = Number(quality);
  const qualityOk = quality.trim() !== '' && Number.isFinite(q) && q >= 0 && q <= 1;

  return (
    <div className="drawer-body" data-drawing-id={row.id} data-flagged={row.flagged} data-deleted={row.deleted}>
      <ReplayCanvas strokes={row.strokes} canvas={row.canvas} />
      <dl className="meta-list">
        <div>
          <dt>Id</dt>
          <dd className="mono">{row.id}</dd>
        </div>
        <div>
          <dt>Made</dt>
          <dd>{formatDateTime(row.createdAt)}</dd>
        </div>
        <div>
          <dt>Quality</dt>
          <dd className="tabular" data-testid="detail-quality">
            {formatQuality(row.quality)}
          </dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>
            {row.device}
            {row.synthetic && row.device !== 'synthetic' ? ' (synthetic)' : ''}
          </dd>
        </div>
        <div>
          <dt>Strokes / points</dt>
          <dd className="tabular">
            {row.strokeCount} / {row.pointCount}
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(row.durationMs)}</dd>
        </div>
        <div>
          <dt>Session</dt>
          <dd>
            <a
              className="mono"
              href={`/admin/data${filterToSearch({ ...EMPTY_FILTER, session: row.sessionId })}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/admin/data${filterToSearch({ ...EMPTY_FILTER, session: row.sessionId })}`);
              }}
            >
              {row.sessionId}
            </a>
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd data-testid="detail-state">
            {row.deleted ? 'Deleted' : row.flagged ? 'Flagged' : 'Live'}
            {row.flagged && row.flagReason ? ` — ${row.flagReason}` : ''}
          </dd>
        </div>
      </dl>

      <div className="drawer-actions">
        <div className="action-group">
          {row.flagged ? (
            <button type="button" className="btn btn-small" disabled={busy !== null} data-testid="flag-button" data-action="unflag" onClick={() => act('flag', () => flagDrawing(client, row.id, false), { flagged: false, flagReason: null }, 'Flag removed.')}>
              Unflag
            </button>
          ) : (
            <>
              <label htmlFor={`${id}-reason`} className="sr-only">
                Reason for flagging
              </label>
              <input id={`${id}-reason`} type="text" maxLength={500} placeholder="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="flag-reason" />
              <button
                type="button"
                className="btn btn-small"
                disabled={busy !== null}
                data-testid="flag-button"
                data-action="flag"
                onClick={() => act('flag', () => flagDrawing(client, row.id, true, reason.trim() || undefined), { flagged: true, flagReason: reason.trim() || null }, 'Flagged: it will be left out of training.')}
              >
                Flag
              </button>
            </>
          )}
        </div>
        <div className="action-group">
          {row.deleted ? (
            <button type="button" className="btn btn-small" disabled={busy !== null} data-testid="restore-button" onClick={() => act('delete', () => restoreDrawing(client, row.id), { deleted: false }, 'Restored.')}>
              Restore
            </button>
          ) : (
            <button type="button" className="btn btn-small btn-danger-outline" disabled={busy !== null} data-testid="delete-button" onClick={() => act('delete', () => deleteDrawing(client, row.id), { deleted: true }, 'Deleted (soft): restore it any time before the retention job purges it.')}>
              Delete
            </button>
          )}
        </div>
        {/* noValidate: a stored score like 0.8234 is off the input's 0.05 step, yet valid. */}
        <form
          className="action-group"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (qualityOk) void act('quality', () => setQuality(client, row.id, q), { quality: q }, `Quality set to ${q}.`);
          }}
        >
          <label htmlFor={`${id}-quality`}>Quality override</label>
          <input id={`${id}-quality`} type="number" min={0} max={1} step="any" inputMode="decimal" value={quality} onChange={(e) => setQualityText(e.target.value)} aria-invalid={!qualityOk} data-testid="quality-input" />
          <button type="submit" className="btn btn-small" disabled={busy !== null || !qualityOk} data-testid="quality-save">
            Save
          </button>
        </form>
      </div>
      <p className={status?.ok === false ? 'error-text' : 'muted'} role="status" data-testid="detail-status">
        {busy ? 'Saving…' : (status?.text ?? '')}
      </p>
    </div>
  );
}
