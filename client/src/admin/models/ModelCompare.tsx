import { useState } from 'react';
import { useAdmin } from '../adminContext';
import { compareModels, thumbnailUrl, THUMBNAIL_SIZE } from '../api/endpoints';
import { classNamesOf } from '../api/normalize';
import type { ModelVersion } from '../api/types';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatCount, formatDeltaPoints, formatPercent } from '../ui/format';
import { useResource } from '../ui/useResource';
import { delta, perClassRows } from './confusion';
import { ConfusionHeatmap } from './ConfusionHeatmap';
import { datasetLines } from './modelFacts';

interface Props {
  /** The older version. */
  readonly a: ModelVersion;
  readonly b: ModelVersion;
  readonly onClose: () => void;
}

/** Changed drawings shown before "Show all" (each is a thumbnail request). */
const CHANGED_SHOWN = 48;

function Delta({ value }: { readonly value: number | null }) {
  const tone = value === null || Math.abs(value) < 0.0005 ? '' : value > 0 ? 'delta-up' : 'delta-down';
  return <span className={`tabular ${tone}`}>{formatDeltaPoints(value)}</span>;
}

/**
 * Two versions side by side: accuracy, per-class precision and recall, both confusion
 * matrices, their dataset snapshots, and the validation drawings whose prediction changed.
 */
export function ModelCompare({ a, b, onClose }: Props) {
  const { client } = useAdmin();
  const result = useResource((signal) => compareModels(client, a.id, b.id, signal), [client, a.id, b.id]);
  // The comparison's own copies are fresher; the list's are shown until it answers.
  const ma = result.data?.a.id ? result.data.a : a;
  const mb = result.data?.b.id ? result.data.b : b;
  const classesA = classNamesOf(ma);
  const classesB = classNamesOf(mb);
  const rows = perClassRows(
    { classes: classesA, precision: ma.metrics.precision, recall: ma.metrics.recall },
    { classes: classesB, precision: mb.metrics.precision, recall: mb.metrics.recall },
  );
  const changed = result.data?.changed ?? [];
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? changed : changed.slice(0, CHANGED_SHOWN);

  return (
    <section className="compare card" aria-labelledby="compare-title" data-testid="model-compare" data-a={ma.version} data-b={mb.version}>
      <div className="section-head">
        <h3 id="compare-title">
          Version {ma.version} → version {mb.version}
        </h3>
        <button type="button" className="btn btn-small" onClick={onClose} data-testid="compare-close">
          Close
        </button>
      </div>
      {result.error ? <ErrorNotice error={result.error} onRetry={result.reload} /> : null}

      <div className="compare-accuracy">
        <div className="stat-tile card">
          <span className="stat-label">v{ma.version} accuracy</span>
          <span className="stat-value tabular">{formatPercent(ma.metrics.accuracy)}</span>
        </div>
        <div className="stat-tile card">
          <span className="stat-label">v{mb.version} accuracy</span>
          <span className="stat-value tabular">{formatPercent(mb.metrics.accuracy)}</span>
        </div>
        <div className="stat-tile card">
          <span className="stat-label">Change</span>
          <span className="stat-value">
            <Delta value={delta(ma.metrics.accuracy, mb.metrics.accuracy)} />
          </span>
        </div>
      </div>
      <p className="muted small">
        Accuracy is each model&rsquo;s own validation split.
        {ma.sampleAccuracy !== null && mb.sampleAccuracy !== null ? (
          <span data-testid="compare-sample-accuracy">
            {' '}
            On the same {formatCount(result.data?.evaluated ?? 0)} current drawings: v{ma.version} {formatPercent(ma.sampleAccuracy)}, v{mb.version} {formatPercent(mb.sampleAccuracy)} (
            <Delta value={delta(ma.sampleAccuracy, mb.sampleAccuracy)} />
            ).
          </span>
        ) : null}
      </p>

      <div className="table-scroll">
        <table className="data-table" data-testid="compare-per-class">
          <caption className="sr-only">Per-class precision and recall</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Shape
              </th>
              <th scope="colgroup" colSpan={3}>
                Precision
              </th>
              <th scope="colgroup" colSpan={3}>
                Recall
              </th>
            </tr>
            <tr>
              <th scope="col">v{ma.version}</th>
              <th scope="col">v{mb.version}</th>
              <th scope="col">Δ</th>
              <th scope="col">v{ma.version}</th>
              <th scope="col">v{mb.version}</th>
              <th scope="col">Δ</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.shape} data-shape={r.shape}>
                <th scope="row">{r.shape}</th>
                <td className="tabular">{formatPercent(r.precisionA)}</td>
                <td className="tabular">{formatPercent(r.precisionB)}</td>
                <td>
                  <Delta value={delta(r.precisionA, r.precisionB)} />
                </td>
                <td className="tabular">{formatPercent(r.recallA)}</td>
                <td className="tabular">{formatPercent(r.recallB)}</td>
                <td>
                  <Delta value={delta(r.recallA, r.recallB)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="compare-pair">
        <ConfusionHeatmap title={`Confusion matrix, v${ma.version}`} classes={classesA} matrix={ma.metrics.confusion} testId="confusion-a" />
        <ConfusionHeatmap title={`Confusion matrix, v${mb.version}`} classes={classesB} matrix={mb.metrics.confusion} testId="confusion-b" />
      </div>

      <div className="compare-pair">
        {[ma, mb].map((m) => (
          <div key={m.id} className="dataset" data-testid="compare-dataset">
            <h4>Dataset of v{m.version}</h4>
            {datasetLines(m.dataset).length ? (
              <dl className="meta-list">
                {datasetLines(m.dataset).map((l) => (
                  <div key={l.key}>
                    <dt className="mono">{l.key}</dt>
                    <dd>{l.value}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted small">No snapshot recorded.</p>
            )}
          </div>
        ))}
      </div>

      <h4>Validation drawings that changed prediction</h4>
      <p className="muted small" data-testid="compare-summary" data-changed={changed.length} data-evaluated={result.data?.evaluated ?? ''}>
        {result.loading && !result.data
          ? 'Evaluating both models…'
          : `${formatCount(changed.length)} of ${formatCount(result.data?.evaluated ?? 0)} validation drawings are predicted differently.`}
      </p>
      <ul className="changed-grid" data-testid="compare-changed">
        {shown.map((c) => {
          const fixed = c.b.shape === c.shape && c.a.shape !== c.shape;
          const broke = c.a.shape === c.shape && c.b.shape !== c.shape;
          return (
            <li key={c.drawingId} className={`changed-item card${fixed ? ' is-fixed' : broke ? ' is-broken' : ''}`} data-testid="compare-changed-item" data-drawing-id={c.drawingId} data-outcome={fixed ? 'fixed' : broke ? 'broken' : 'changed'}>
              <img src={thumbnailUrl(client, c.drawingId)} width={THUMBNAIL_SIZE} height={THUMBNAIL_SIZE} loading="lazy" decoding="async" alt={`A ${c.shape} drawing`} />
              <div className="small">
                <p>
                  Drawn: <strong>{c.shape}</strong>
                </p>
                <p>
                  v{ma.version}: {c.a.shape} <span className="muted">({formatPercent(c.a.confidence, 0)})</span>
                </p>
                <p>
                  v{mb.version}: {c.b.shape} <span className="muted">({formatPercent(c.b.confidence, 0)})</span>
                </p>
                <p className={fixed ? 'delta-up' : broke ? 'delta-down' : 'muted'}>{fixed ? 'Now right' : broke ? 'Now wrong' : 'Still wrong, differently'}</p>
              </div>
            </li>
          );
        })}
      </ul>
      {shown.length < changed.length ? (
        <button type="button" className="btn btn-small" onClick={() => setShowAll(true)} data-testid="compare-show-all">
          Show all {formatCount(changed.length)}
        </button>
      ) : null}
    </section>
  );
}
