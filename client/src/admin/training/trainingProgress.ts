/**
 * A training job's live curves: points from `/ws/admin` training events and from polling
 * `GET /training/{id}` merge into one list ordered by optimizer step, so a socket that drops
 * mid-run loses nothing that a poll saw, and a point seen twice counts once.
 */

import type { TrainingJob, TrainingProgress } from '../api/types';
import type { TrainingFrame } from '../feed/adminProtocol';

export interface ProgressPoint {
  readonly step: number;
  readonly epoch: number;
  /** Mean training loss of the epoch so far. */
  readonly loss: number | null;
  /** Training accuracy of the epoch so far, in [0, 1]. */
  readonly accuracy: number | null;
  /** Validation accuracy, known at each epoch's end ("eval" phase). */
  readonly valAccuracy: number | null;
}

export const MAX_POINTS = 1000;

/** A progress report as a point; `phase` "eval" carries validation accuracy. */
export function pointOf(p: Pick<TrainingProgress, 'step' | 'epoch' | 'loss' | 'accuracy' | 'phase'>): ProgressPoint {
  const isEval = p.phase === 'eval';
  return {
    step: p.step,
    epoch: p.epoch,
    loss: p.loss,
    accuracy: isEval ? null : p.accuracy,
    valAccuracy: isEval ? p.accuracy : null,
  };
}

function merge(old: ProgressPoint, next: ProgressPoint): ProgressPoint {
  return {
    step: next.step,
    epoch: Math.max(old.epoch, next.epoch),
    loss: next.loss ?? old.loss,
    accuracy: next.accuracy ?? old.accuracy,
    valAccuracy: next.valAccuracy ?? old.valAccuracy,
  };
}

/**
 * `points` with `next` in step order: a point at a step already present is merged into it (an
 * eval report adds validation accuracy to the step's training point). Past `max` points the
 * oldest go.
 */
export function addPoint(points: readonly ProgressPoint[], next: ProgressPoint, max = MAX_POINTS): ProgressPoint[] {
  if (!Number.isFinite(next.step)) return [...points];
  const out = [...points];
  let i = out.length;
  while (i > 0 && out[i - 1]!.step > next.step) i--;
  if (i > 0 && out[i - 1]!.step === next.step) out[i - 1] = merge(out[i - 1]!, next);
  else out.splice(i, 0, next);
  return out.length > max ? out.slice(out.length - max) : out;
}

/** The progress an event carries, or null for a status-only event. */
export function progressOfFrame(f: TrainingFrame): TrainingProgress | null {
  if (!f.hasProgress) return null;
  return {
    phase: f.phase,
    epoch: f.epoch,
    epochs: f.epochs,
    step: f.step,
    steps: f.steps,
    loss: f.loss,
    accuracy: f.accuracy,
    etaS: f.etaS,
  };
}

/**
 * Curves for a job nobody watched live (opened after it finished): its per-epoch history,
 * placed at the step each epoch ended when the step count is known, else at the epoch number.
 */
export function pointsFromHistory(job: Pick<TrainingJob, 'history' | 'progress'>): ProgressPoint[] {
  const epochs = job.progress?.epochs ?? null;
  const steps = job.progress?.steps ?? null;
  const perEpoch = epochs && steps ? steps / epochs : null;
  return job.history
    .map((h) => ({
      step: perEpoch ? Math.round(h.epoch * perEpoch) : h.epoch,
      epoch: h.epoch,
      loss: h.loss,
      accuracy: null,
      valAccuracy: h.accuracy,
    }))
    .sort((a, b) => a.step - b.step);
}

/** Share of the run done, in [0, 1], from steps (else epochs); null when unknown. */
export function completion(p: TrainingProgress | null, status: string): number | null {
  if (status === 'succeeded') return 1;
  if (!p) return null;
  if (p.steps && p.steps > 0) return Math.min(1, p.step / p.steps);
  if (p.epochs && p.epochs > 0) return Math.min(1, Math.max(0, p.epoch - 1) / p.epochs);
  return null;
}
