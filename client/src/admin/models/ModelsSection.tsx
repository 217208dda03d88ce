import { useEffect, useRef, useState } from 'react';
import { useAdmin, useFeed } from '../adminContext';
import { activateModel, listModels } from '../api/endpoints';
import type { ModelVersion } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatCount, formatDateTime, formatPercent } from '../ui/format';
import { useResource } from '../ui/useResource';
import { ModelCompare } from './ModelCompare';
import { activationVerb, compareOrder, datasetSize, toggleCompare } from './modelFacts';
import './models.css';

/**
 * Model versions with their metrics; pick two to compare side by side; activate one or roll
 * back to an older one (confirmed, atomic on the server: exactly one is active).
 */
export function ModelsSection() {
  const { client } = useAdmin();
  const { state } = useFeed();
  const models = useResource((signal) => listModels(client, signal), [client]);
  const { reload } = models;
  const [picked, setPicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState<[ModelVersion, ModelVersion] | null>(null);
  const [activating, setActivating] = useState<ModelVersion | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const compareRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  // Another admin (or this one, in another tab) activated a model: show the truth.
  const firstSeq = useRef(state.modelSeq);
  useEffect(() => {
    if (state.modelSeq !== firstSeq.current) reload();
  }, [state.modelSeq, reload]);

  const list = [...(models.data ?? [])].sort((a, b) => b.version - a.version);
  const active = list.find((m) => m.isActive) ?? null;
  const pair = compareOrder(list, picked);

  const activate = async () => {
    if (!activating) return;
    setBusy(true);
    setMessage(null);
    const verb = activationVerb(activating, active);
    try {
      await activateModel(client, activating.id);
      setMessage({ ok: true, text: `${verb === 'Roll back' ? 'Rolled back to' : 'Activated'} version ${activating.version}. Servers load it within seconds.` });
      reload();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
      setActivating(null);
    }
  };

  // After an activation the button that opened the dialog goes (its row is now the active
  // one): keep focus on the result rather than losing it to the page. A parent's effect runs
  // after the dialog's, which hands focus back to that button as it closes.
  useEffect(() => {
    if (message) statusRef.current?.focus();
  }, [message]);

  const compare = () => {
    if (!pair) return;
    setComparing(pair);
    requestAnimationFrame(() => compareRef.current?.focus());
  };

  return (
    <section className="admin-section" aria-labelledby="models-title" data-testid="models">
      <div className="section-head">
        <h2 id="models-title">Models</h2>
        <p className="muted small" data-testid="active-model">
          {active ? (
            <>
              Live: <strong>version {active.version}</strong> ({formatPercent(active.metrics.accuracy)} accuracy)
            </>
          ) : models.data ? (
            'No model is active: /play and /lab run without one.'
          ) : null}
        </p>
      </div>
      {models.error && !models.data ? <ErrorNotice error={models.error} onRetry={reload} /> : null}
      <p ref={statusRef} tabIndex={-1} className={message?.ok === false ? 'notice notice-error' : 'muted'} role="status" data-testid="models-status">
        {message?.text ?? ''}
      </p>
      <div className="card">
        <div className="list-head">
          <span className="muted small">Choose two versions to compare them.</span>
          <button type="button" className="btn btn-primary btn-small" disabled={!pair} onClick={compare} data-testid="compare-button">
            Compare {pair ? `v${pair[0].version} and v${pair[1].version}` : 'two versions'}
          </button>
        </div>
        <div className="table-scroll">
          <table className="data-table" data-testid="model-table" aria-busy={models.loading}>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Compare</span>
                </th>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">Accuracy</th>
                <th scope="col">Dataset</th>
                <th scope="col">Activated</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    {models.loading ? 'Loading…' : 'No model yet: train one on the Training page.'}
                  </td>
                </tr>
              ) : null}
              {list.map((m) => (
                <tr key={m.id} className={m.isActive ? 'is-active' : undefined} data-testid="model-row" data-model-id={m.id} data-version={m.version} data-active={m.isActive}>
                  <td>
                    <input
                      type="checkbox"
                      checked={picked.includes(m.id)}
                      onChange={(e) => setPicked((p) => toggleCompare(p, m.id, e.target.checked))}
                      aria-label={`Compare version ${m.version}`}
                      data-testid="compare-select"
                    />
                  </td>
                  <th scope="row">
                    v{m.version}{' '}
                    {m.isActive ? (
                      <span className="badge badge-success" data-testid="active-badge">
                        Active
                      </span>
                    ) : null}
                  </th>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td className="tabular">{formatPercent(m.metrics.accuracy)}</td>
                  <td className="tabular">{formatCount(datasetSize(m.dataset))}</td>
                  <td>{formatDateTime(m.activatedAt)}</td>
                  <td className="row-actions">
                    {m.isActive ? (
                      <span className="muted small">Serving</span>
                    ) : (
                      <button type="button" className="btn btn-small" onClick={() => setActivating(m)} data-testid="activate-button" aria-label={`${activationVerb(m, active)} to version ${m.version}`}>
                        {activationVerb(m, active)}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div ref={compareRef} tabIndex={-1} className="compare-anchor">
        {comparing ? <ModelCompare key={`${comparing[0].id}:${comparing[1].id}`} a={comparing[0]} b={comparing[1]} onClose={() => setComparing(null)} /> : null}
      </div>
      <ConfirmDialog
        open={activating !== null}
        title={activating ? `${activationVerb(activating, active)} to version ${activating.version}?` : ''}
        confirmLabel={activating ? activationVerb(activating, active) : 'Activate'}
        busy={busy}
        onConfirm={activate}
        onCancel={() => setActivating(null)}
        testId="activate-confirm"
      >
        {activating ? (
          <>
            <p>
              Version {activating.version} ({formatPercent(activating.metrics.accuracy)} accuracy) becomes the live model for /play, /lab and the API.
              {active ? ` Version ${active.version} (${formatPercent(active.metrics.accuracy)}) stops serving.` : ''}
            </p>
            <p className="muted">Every server loads it beside the old one and swaps; if it fails to load, the old one keeps serving.</p>
          </>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
