import type { ModelInfo } from './classifyProtocol';
import type { LabConnection } from './labState';

export interface ModelCardProps {
  readonly model: ModelInfo | null;
  readonly noModel: boolean;
  readonly connection: LabConnection;
  readonly latencyMs: number | null;
  readonly serverMs: number | null;
  readonly medianMs: number | null;
}

const ms = (v: number | null) => (v === null ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

/** Which model answers, how good it was on its holdout, and how fast it answers right now. */
export function ModelCard({ model, noModel, connection, latencyMs, serverMs, medianMs }: ModelCardProps) {
  return (
    <section className="lab-card" aria-labelledby="lab-model-heading" data-testid="lab-model">
      <h2 id="lab-model-heading">Model</h2>
      {model ? (
        <dl className="lab-facts">
          <dt>Version</dt>
          <dd data-testid="lab-model-version">v{model.version}</dd>
          <dt>Holdout accuracy</dt>
          <dd>{model.accuracy === null ? 'not recorded' : `${(model.accuracy * 100).toFixed(1)}%`}</dd>
          <dt>Classes</dt>
          <dd>{model.shapes.join(', ')}</dd>
        </dl>
      ) : (
        <p className="lab-muted">
          {noModel ? 'No model is loaded yet. Train one and activate it in Admin; this page picks it up by itself.' : 'Loading…'}
        </p>
      )}
      <dl className="lab-facts lab-latency" aria-live="off">
        <dt>Last prediction</dt>
        <dd data-testid="lab-latency">{ms(latencyMs)}</dd>
        <dt>of which server</dt>
        <dd>{ms(serverMs)}</dd>
        <dt>Median (last 50)</dt>
        <dd>{ms(medianMs)}</dd>
        <dt>Connection</dt>
        <dd className={`lab-conn is-${connection}`}>{connection}</dd>
      </dl>
    </section>
  );
}
