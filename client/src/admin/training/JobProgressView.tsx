import { useMemo } from 'react';
import type { TrainingJob } from '../api/types';
import { trainingCurves } from '../charts/chartData';
import { ChartFigure } from '../charts/ChartFigure';
import { CHART_COLORS } from '../charts/chartSetup';
import { LineSeriesChart } from '../charts/SeriesCharts';
import type { JobProgress } from '../feed/feedState';
import { formatDuration, formatPercent } from '../ui/format';
import { JobStatusBadge } from './JobStatusBadge';
import { addPoint, completion, pointsFromHistory } from './trainingProgress';

interface Props {
  readonly job: TrainingJob;
  /** The last full read of the job (history, metrics), when there is one. */
  readonly detail: TrainingJob | null;
  /** What the socket and polls gathered about it. */
  readonly live: JobProgress | null;
}

const PERCENT = { min: 0, max: 100 } as const;

const PHASES: Record<string, string> = {
  starting: 'Starting',
  waiting_for_device: 'Waiting for the training device',
  loading: 'Loading the selected drawings',
  train: 'Training',
  eval: 'Validating',
  register: 'Exporting and registering the model',
};

function phaseText(status: string, phase: string | null): string {
  if (status === 'pending' || status === 'queued') return 'Waiting for a worker';
  if (status !== 'running') return `Finished: ${status}`;
  return PHASES[phase ?? ''] ?? (phase ? phase.replace(/_/g, ' ') : 'Running');
}

/**
 * One job's progress: status, epoch and step, ETA, and the loss and accuracy curves. A
 * generator's "accuracy" is the share of steps its reconstruction puts in the right stroke.
 */
export function JobProgressView({ job, detail, live }: Props) {
  const status = live?.status ?? job.status;
  const progress = live?.progress ?? detail?.progress ?? job.progress;
  const error = live?.error ?? detail?.error ?? job.error;
  // The recorded per-epoch history (a page opened mid-run, or after it) under what the socket
  // and polls reported since: one curve by step.
  const points = useMemo(() => {
    let merged = pointsFromHistory(detail ?? job);
    for (const p of live?.points ?? []) merged = addPoint(merged, p);
    return merged;
  }, [live, detail, job]);
  const curves = useMemo(() => trainingCurves(points), [points]);
  const done = completion(progress, status);
  const accuracy = detail?.metrics?.accuracy ?? job.metrics?.accuracy ?? null;
  const lastLoss = [...curves.loss].reverse().find((v) => v !== null) ?? null;
  const empty = points.length === 0 ? (status === 'pending' || status === 'queued' ? 'Waiting for a worker…' : 'No progress reported yet') : null;

  return (
    <section
      className="job-progress card"
      aria-labelledby="job-progress-title"
      data-testid="training-progress"
      data-job-id={job.id}
      data-kind={job.kind}
      data-status={status}
      data-epoch={progress?.epoch ?? ''}
      data-step={progress?.step ?? ''}
    >
      <div className="section-head">
        <h3 id="job-progress-title">
          {job.kind === 'generator' ? 'Generator' : 'Classifier'} job <span className="mono">{job.id.slice(0, 8)}</span>
        </h3>
        <JobStatusBadge status={status} />
      </div>
      <p className="muted small" data-testid="training-phase" data-phase={progress?.phase ?? ''}>
        {phaseText(status, progress?.phase ?? null)}
        {progress?.device ? ` on ${progress.device}` : ''}
        {job.cancelRequested && status === 'running' ? ' — cancel requested, stopping at the next step' : ''}
      </p>
      <div className="progress-line">
        <progress max={1} value={done ?? undefined} aria-label="Training progress" />
        <span className="tabular small">{done === null ? '' : formatPercent(done, 0)}</span>
      </div>
      <dl className="meta-list figures" aria-live="off">
        <div>
          <dt>Epoch</dt>
          <dd className="tabular">{progress ? `${progress.epoch}${progress.epochs ? ` / ${progress.epochs}` : ''}` : '–'}</dd>
        </div>
        <div>
          <dt>Step</dt>
          <dd className="tabular">{progress ? `${progress.step}${progress.steps ? ` / ${progress.steps}` : ''}` : '–'}</dd>
        </div>
        <div>
          <dt>Loss</dt>
          <dd className="tabular" data-testid="training-loss">
            {progress?.loss != null ? progress.loss.toFixed(4) : lastLoss !== null ? lastLoss.toFixed(4) : '–'}
          </dd>
        </div>
        <div>
          <dt>{job.kind === 'generator' ? 'Stroke accuracy' : accuracy !== null ? 'Validation accuracy' : 'Accuracy'}</dt>
          <dd className="tabular" data-testid="training-accuracy">
            {formatPercent(accuracy ?? progress?.accuracy ?? null)}
          </dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd className="tabular">{status === 'running' && progress?.etaS != null ? formatDuration(progress.etaS * 1000) : '–'}</dd>
        </div>
      </dl>
      {error ? (
        <p className="notice notice-error" data-testid="training-job-error">
          {error}
        </p>
      ) : null}
      <div className="curve-grid">
        <ChartFigure
          title="Loss"
          testId="chart-loss"
          height={200}
          summary={`Training loss over ${points.length} reports${lastLoss !== null ? `, latest ${lastLoss.toFixed(4)}` : ''}.`}
          table={{ columns: ['Step', 'Loss'], rows: curves.labels.map((l, i) => [l, curves.loss[i]?.toFixed(4) ?? '–']) }}
          empty={empty}
        >
          <LineSeriesChart labels={curves.labels} lines={[{ label: 'Training loss', values: curves.loss, color: CHART_COLORS.error }]} xTitle="step" numericX />
        </ChartFigure>
        <ChartFigure
          title="Accuracy (%)"
          testId="chart-accuracy"
          height={200}
          summary={`Training and validation accuracy over ${points.length} reports.`}
          table={{ columns: ['Step', 'Training %', 'Validation %'], rows: curves.labels.map((l, i) => [l, curves.accuracy[i] ?? '–', curves.valAccuracy[i] ?? '–']) }}
          empty={empty}
        >
          <LineSeriesChart
            labels={curves.labels}
            lines={[
              { label: 'Training', values: curves.accuracy, color: CHART_COLORS.primary },
              { label: 'Validation', values: curves.valAccuracy, color: CHART_COLORS.success, dashed: true },
            ]}
            xTitle="step"
            numericX
            yRange={PERCENT}
          />
        </ChartFigure>
      </div>
    </section>
  );
}
