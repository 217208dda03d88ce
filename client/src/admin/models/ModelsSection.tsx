import { useEffect, useRef, useState } from 'react';
import { useAdmin, useFeed } from '../adminContext';
import { activateModel, listModels } from '../api/endpoints';
import type { ModelKind, ModelVersion } from '../api/types';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { DataTable, type Column } from '../ui/DataTable';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatCount, formatDateTime, formatPercent } from '../ui/format';
import { useResource } from '../ui/useResource';
import { ModelCompare } from './ModelCompare';
import { HEADLINE, activationVerb, compareOrder, datasetSize, headlineText, toggleCompare } from './modelFacts';
import './models.css';

const KINDS: readonly { readonly kind: ModelKind; readonly label: string; readonly serves: string }[] = [
  { kind: 'classifier', label: 'Classifiers', serves: '/play, /lab and the classify API' },
  { kind: 'generator', label: 'Generators', serves: "/lab's Generate and the generate API" },
];

function columns(kind: ModelKind): Column[] {
  return [
    // Comparing runs both models on the same drawings: only classifiers answer with a shape.
    ...(kind === 'classifier' ? [{ label: 'Compare', hidden: true }] : []),
    { label: 'Version' },
    { label: 'Created' },
    { label: HEADLINE[kind].label },
    { label: 'Dataset' },
    { label: 'Activated' },
    { label: 'Actions', hidden: true },
  ];
}

/**
 * Model versions of one kind (classifiers or generators: each kind numbers its own versions
 * and serves its own active one) with their metrics; pick two classifiers to compare side by
 * side; activate one or roll back to an older one (confirmed, atomic on the server: exactly
 * one of the kind is active).
 */
export function ModelsSection() {
  const { client } = useAdmin();
  const { state } = useFeed();
  const [kind, setKind] = useState<ModelKind>('classifier');
  const models = useResource((signal) => listModels(client, kind, signal), [client, kind]);
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

  const chooseKind = (next: ModelKind) => {
    setKind(next);
    setPicked([]);
    setComparing(null);
    setMessage(null);
  };

  // A list still answering for the other kind is not shown under this one's heading.
  const list = [...(models.data ?? [])].filter((m) => m.kind === kind).sort((a, b) => b.version - a.version);
  const serves = KINDS.find((k) => k.kind === kind)?.serves ?? '';
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
        <p className="muted small" data-testid="active-model" data-kind={kind}>
          {active ? (
            <>
              Live {kind}: <strong>version {active.version}</strong> ({headlineText(kind, active.metrics)})
            </>
          ) : models.data ? (
            `No ${kind} is active: ${serves} run without one.`
          ) : null}
        </p>
      </div>
      <fieldset className="field">
        <legend>Kind</legend>
        <div className="check-row">
          {KINDS.map((k) => (
            <label key={k.kind} className="check">
              <input type="radio" name="models-kind" value={k.kind} checked={kind === k.kind} onChange={() => chooseKind(k.kind)} data-testid={`models-kind-${k.kind}`} />
              {k.label}
            </label>
          ))}
        </div>
      </fieldset>
      {models.error && !models.data ? <ErrorNotice error={models.error} onRetry={reload} /> : null}
      <p ref={statusRef} tabIndex={-1} className={message?.ok === false ? 'notice notice-error' : 'muted'} role="status" data-testid="models-status">
        {message?.text ?? ''}
      </p>
      <div className="card">
        {kind === 'classifier' ? (
          <div className="list-head">
            <span className="muted small">Choose two versions to compare them.</span>
            <button type="button" className="btn btn-primary btn-small" disabled={!pair} onClick={compare} data-testid="compare-button">
              Compare {pair ? `v${pair[0].version} and v${pair[1].version}` : 'two versions'}
            </button>
          </div>
        ) : (
          <p className="muted small">A generator is judged by what it draws: try a version in /lab once it is active.</p>
        )}
        <DataTable
          columns={columns(kind)}
          testId="model-table"
          busy={models.loading}
          empty={list.length > 0 ? null : models.loading ? 'Loading…' : `No ${kind} yet: train one on the Training page.`}
        >
          {list.map((m) => (
            <tr key={m.id} className={m.isActive ? 'is-active' : undefined} data-testid="model-row" data-model-id={m.id} data-kind={m.kind} data-version={m.version} data-active={m.isActive}>
              {kind === 'classifier' ? (
                <td>
                  <input
                    type="checkbox"
                    checked={picked.includes(m.id)}
                    onChange={(e) => setPicked((p) => toggleCompare(p, m.id, e.target.checked))}
                    aria-label={`Compare version ${m.version}`}
                    data-testid="compare-select"
                  />
                </td>
              ) : null}
              <th scope="row">
                v{m.version}{' '}
                {m.isActive ? (
                  <span className="badge badge-success" data-testid="active-badge">
                    Active
                  </span>
                ) : null}
              </th>
              <td>{formatDateTime(m.createdAt)}</td>
              <td className="tabular">{formatPercent(HEADLINE[kind].value(m.metrics))}</td>
              <td className="tabular" data-testid="model-dataset" data-value={datasetSize(m.dataset) ?? ''}>
                {formatCount(datasetSize(m.dataset))}
              </td>
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
        </DataTable>
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
              Version {activating.version} ({headlineText(kind, activating.metrics)}) becomes the live {kind} for {serves}.
              {active ? ` Version ${active.version} (${headlineText(kind, active.metrics)}) stops serving.` : ''}
            </p>
            <p className="muted">Every server loads it beside the old one and swaps; if it fails to load, the old one keeps serving.</p>
          </>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
