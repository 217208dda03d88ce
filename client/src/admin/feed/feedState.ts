/**
 * What the admin portal knows from `/ws/admin`, as a pure fold of frames: the latest monitor
 * numbers with a minute of drawings/s history, recent errors, model events, and the progress
 * of every training job seen (polling results fold in through the same door).
 */

import type { TrainingProgress } from '../api/types';
import type { Sample } from '../charts/chartData';
import { addPoint, pointOf, progressOfFrame, type ProgressPoint } from '../training/trainingProgress';
import type { AdminFrame, ModelFrame, MonitorFrame } from './adminProtocol';

export interface FeedError {
  readonly at: number;
  readonly code: string;
  readonly message: string;
}

export interface JobProgress {
  readonly status: string;
  readonly progress: TrainingProgress | null;
  readonly error: string | null;
  readonly points: readonly ProgressPoint[];
  /** When a socket event last told us about this job (null: only polls have). */
  readonly liveAt: number | null;
}

export interface FeedState {
  readonly email: string | null;
  readonly monitor: MonitorFrame | null;
  readonly monitorAt: number | null;
  /** Drawings per second, one sample per monitor frame, oldest first. */
  readonly rate: readonly Sample[];
  /** Newest first. */
  readonly errors: readonly FeedError[];
  /** Newest first. */
  readonly models: readonly (ModelFrame & { readonly at: number })[];
  /** Bumped by every model event: views holding the model list reload on it. */
  readonly modelSeq: number;
  readonly jobs: Readonly<Record<string, JobProgress>>;
}

export const RATE_SAMPLES = 120;
export const MAX_ERRORS = 20;
export const MAX_MODEL_EVENTS = 10;
export const MAX_JOBS = 20;

export const INITIAL_FEED: FeedState = {
  email: null,
  monitor: null,
  monitorAt: null,
  rate: [],
  errors: [],
  models: [],
  modelSeq: 0,
  jobs: {},
};

function limited<T>(list: readonly T[], item: T, max: number): T[] {
  return [item, ...list].slice(0, max);
}

/** Folds one job report (socket or poll) into the job's entry. */
export function recordJob(
  state: FeedState,
  jobId: string,
  report: { status: string; progress: TrainingProgress | null; error?: string | null },
  liveAt: number | null,
): FeedState {
  const old = state.jobs[jobId];
  const p = report.progress;
  // Phases before training (starting, loading ...) report no loss or accuracy: no point.
  const plotted = p !== null && (p.loss !== null || p.accuracy !== null);
  const points = plotted ? addPoint(old?.points ?? [], pointOf(p)) : (old?.points ?? []);
  const entry: JobProgress = {
    status: report.status,
    progress: report.progress ?? old?.progress ?? null,
    error: report.error ?? old?.error ?? null,
    points,
    liveAt: liveAt ?? old?.liveAt ?? null,
  };
  let jobs: Record<string, JobProgress> = { ...state.jobs, [jobId]: entry };
  const ids = Object.keys(jobs);
  if (ids.length > MAX_JOBS) {
    // Forget the job heard from least recently (insertion order approximates it).
    const { [ids[0]!]: _dropped, ...rest } = jobs;
    jobs = rest;
  }
  return { ...state, jobs };
}

export function applyFrame(state: FeedState, frame: AdminFrame, now: number): FeedState {
  switch (frame.type) {
    case 'hello':
      return { ...state, email: frame.email };
    case 'monitor':
      return {
        ...state,
        monitor: frame,
        monitorAt: now,
        rate: [...state.rate, { at: now, value: frame.drawingsPerSecond }].slice(-RATE_SAMPLES),
      };
    case 'training': {
      const next = recordJob(state, frame.jobId, { status: frame.status, progress: progressOfFrame(frame), error: frame.error }, now);
      if (frame.status !== 'failed') return next;
      const message = `Training job ${frame.jobId.slice(0, 8)} failed${frame.error ? `: ${frame.error}` : ''}`;
      return { ...next, errors: limited(next.errors, { at: now, code: 'training_failed', message }, MAX_ERRORS) };
    }
    case 'model': {
      const withEvent = {
        ...state,
        models: limited(state.models, { ...frame, at: now }, MAX_MODEL_EVENTS),
        modelSeq: state.modelSeq + 1,
      };
      if (frame.event !== 'error') return withEvent;
      const message = `Model v${frame.version ?? '?'} failed to load${frame.server ? ` on ${frame.server}` : ''}: ${frame.error ?? 'unknown error'}`;
      return { ...withEvent, errors: limited(withEvent.errors, { at: now, code: 'model_error', message }, MAX_ERRORS) };
    }
    case 'error':
      return { ...state, errors: limited(state.errors, { at: now, code: frame.code, message: frame.message }, MAX_ERRORS) };
    default:
      return state;
  }
}
