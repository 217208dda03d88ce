import { memo } from 'react';
import { useAdmin } from '../adminContext';
import { thumbnailUrl, THUMBNAIL_SIZE } from '../api/endpoints';
import type { DrawingRow } from '../api/types';
import { formatDateTime, formatDuration, formatQuality } from '../ui/format';

interface Props {
  readonly row: DrawingRow;
  readonly selected: boolean;
  readonly onSelect: (id: string, on: boolean) => void;
  readonly onOpen: (id: string) => void;
}

/** One drawing in the grid: a selection box, its thumbnail (opens the detail), its metadata. */
export const DrawingCard = memo(function DrawingCard({ row, selected, onSelect, onOpen }: Props) {
  const { client } = useAdmin();
  const short = row.id.slice(0, 8);
  return (
    <li>
      <article
        className={`drawing-card${selected ? ' is-selected' : ''}${row.deleted ? ' is-deleted' : ''}`}
        data-testid="drawing-card"
        data-drawing-id={row.id}
        data-shape={row.shape}
        data-flagged={row.flagged}
        data-deleted={row.deleted}
        aria-label={`${row.shape} drawing ${short}`}
      >
        <label className="card-check">
          <input type="checkbox" checked={selected} onChange={(e) => onSelect(row.id, e.target.checked)} data-testid="drawing-select" />
          <span className="sr-only">Select {row.shape} drawing {short}</span>
        </label>
        <button type="button" className="thumb-button" onClick={() => onOpen(row.id)} data-testid="drawing-open" aria-label={`Open ${row.shape} drawing ${short}`}>
          <img
            src={thumbnailUrl(client, row.id)}
            width={THUMBNAIL_SIZE}
            height={THUMBNAIL_SIZE}
            loading="lazy"
            decoding="async"
            alt=""
          />
        </button>
        <div className="card-meta">
          <p className="card-title">
            <strong>{row.shape}</strong>
            <span className="tabular quality" title="Quality score">
              q {formatQuality(row.quality)}
            </span>
          </p>
          <p className="muted small">{formatDateTime(row.createdAt)}</p>
          <p className="muted small">
            {row.strokeCount} stroke{row.strokeCount === 1 ? '' : 's'} · {formatDuration(row.durationMs)}
          </p>
          <p className="badges">
            {row.synthetic ? null : <span className="badge">{row.device}</span>}
            {row.flagged ? (
              <span className="badge badge-warning" title={row.flagReason ?? undefined}>
                Flagged
              </span>
            ) : null}
            {row.deleted ? <span className="badge badge-error">Deleted</span> : null}
            {row.synthetic ? <span className="badge">Synthetic</span> : null}
          </p>
        </div>
      </article>
    </li>
  );
});
