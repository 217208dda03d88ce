/**
 * The admin API's JSON, as the portal reads it (issue 7's contract). Jobs and models are read
 * through the normalisers in endpoints.ts, which accept the small spelling variations of an
 * API still being built; everything else is used as the contract states it.
 */

export interface AdminStats {
  readonly totals: {
    readonly drawings: number;
    readonly flagged: number;
    readonly deleted: number;
    readonly synthetic: number;
    readonly generated: number;
  };
  readonly perShape: readonly { readonly shape: string; readonly count: number }[];
  readonly perDay: readonly { readonly day: string; readonly count: number }[];
  readonly perDevice: readonly { readonly device: string; readonly count: number }[];
  readonly quality: { readonly buckets: readonly QualityBucket[] };
  readonly ingest: IngestState;
  readonly activeModel: { readonly id: string; readonly version: number; readonly accuracy: number | null } | null;
}

export interface QualityBucket {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface IngestState {
  readonly backlog: number;
  readonly lagMs: number;
}

export interface DrawingRow {
  readonly id: string;
  readonly shape: string;
  readonly createdAt: string;
  readonly quality: number;
  readonly flagged: boolean;
  readonly flagReason: string | null;
  readonly deleted: boolean;
  readonly device: string;
  readonly synthetic: boolean;
  readonly sessionId: string;
  readonly strokeCount: number;
  readonly pointCount: number;
  readonly durationMs: number;
}

export interface DrawingPage {
  readonly items: readonly DrawingRow[];
  readonly nextCursor: string | null;
}

/** One stroke as stored: parallel arrays, `t` in ms since the drawing's first pointer-down. */
export interface StoredStroke {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly t: readonly number[];
  readonly p: readonly number[];
  readonly color?: string;
  readonly width?: number;
}

export interface DrawingDetail extends DrawingRow {
  readonly strokes: readonly StoredStroke[];
  readonly canvas: { readonly width: number; readonly height: number };
}

/** What a training job makes and a model version is; each kind has its own versions and active model. */
export type ModelKind = 'classifier' | 'generator';

export type BulkAction = 'flag' | 'unflag' | 'delete' | 'restore' | 'quality';

export type JobStatus = 'pending' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const IN_FLIGHT: ReadonlySet<string> = new Set(['pending', 'queued', 'running']);

export interface TrainingProgress {
  /** starting, waiting_for_device, loading, train, eval, register, then the final status. */
  readonly phase: string | null;
  /** Where it trains (cpu, cuda:0), once known. */
  readonly device?: string | null;
  readonly epoch: number;
  readonly epochs: number | null;
  readonly step: number;
  readonly steps: number | null;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly etaS: number | null;
}

export interface TrainingJob {
  readonly id: string;
  /** What it trains: 'classifier' or 'generator' (a job from before kinds existed: classifier). */
  readonly kind: string;
  readonly status: string;
  readonly createdAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Seconds, from the server, else from the timestamps. */
  readonly durationS: number | null;
  readonly error: string | null;
  readonly progress: TrainingProgress | null;
  /** Per-epoch points the job recorded ({epoch, loss, accuracy, val_accuracy}). */
  readonly history: readonly { readonly epoch: number; readonly loss: number | null; readonly accuracy: number | null }[];
  readonly metrics: ModelMetrics | null;
  readonly modelId: string | null;
  readonly config: Readonly<Record<string, unknown>> | null;
  /** A running job asked to stop: it ends `cancelled` at its next step. */
  readonly cancelRequested: boolean;
}

export interface ModelMetrics {
  /** A classifier's validation accuracy (a generator has none). */
  readonly accuracy: number | null;
  readonly loss: number | null;
  /** A generator's held-out point error, as a share of the drawing's size (`point_rmse`). */
  readonly pointError: number | null;
  /** Per class, in the model's class order. */
  readonly precision: readonly number[];
  readonly recall: readonly number[];
  /** [true class][predicted class] counts. */
  readonly confusion: readonly (readonly number[])[];
  /** Class names in output order, when the server says. */
  readonly classes: readonly string[] | null;
}

export interface ModelVersion {
  readonly id: string;
  readonly version: number;
  readonly kind: string;
  readonly isActive: boolean;
  readonly createdAt: string | null;
  readonly activatedAt: string | null;
  readonly metrics: ModelMetrics;
  readonly dataset: Readonly<Record<string, unknown>>;
  /** In a comparison: accuracy on the sample both models were just run on. */
  readonly sampleAccuracy: number | null;
}

export interface ChangedPrediction {
  readonly drawingId: string;
  readonly shape: string;
  readonly a: { readonly shape: string; readonly confidence: number };
  readonly b: { readonly shape: string; readonly confidence: number };
}

export interface ModelComparison {
  readonly a: ModelVersion;
  readonly b: ModelVersion;
  readonly changed: readonly ChangedPrediction[];
  readonly evaluated: number;
}

export interface CleanupResult {
  readonly purged: number;
  readonly archived: number;
  readonly dryRun: boolean;
  /** The retention thresholds the run applied (ISO times). */
  readonly deletedBefore?: string | null;
  readonly flaggedBefore?: string | null;
}
