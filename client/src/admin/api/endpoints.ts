/** Every admin API call the portal makes, typed (the paths are relative to /api/admin). */

import { filterParams, filterToJson, type DrawingFilter } from '../data/drawingFilter';
import type { AdminClient } from './adminClient';
import { isObject, listOf, toJob, toModel } from './normalize';
import type { TrainingRequest } from './trainingRequest';
import type {
  AdminStats,
  BulkAction,
  ChangedPrediction,
  CleanupResult,
  DrawingDetail,
  DrawingPage,
  DrawingRow,
  ModelComparison,
  ModelKind,
  ModelVersion,
  TrainingJob,
} from './types';

export interface SessionInfo {
  readonly id?: string;
  readonly email: string;
  readonly csrfToken: string;
}

export const PAGE_SIZE = 48;
export const THUMBNAIL_SIZE = 96;

export const login = (c: AdminClient, email: string, password: string) =>
  c.post<SessionInfo>('/login', { email, password });

export const logout = (c: AdminClient) => c.post<void>('/logout');

export const getSession = (c: AdminClient, signal?: AbortSignal) => c.get<SessionInfo>('/session', undefined, signal);

export const getStats = (c: AdminClient, signal?: AbortSignal) => c.get<AdminStats>('/stats', undefined, signal);

export function listDrawings(
  c: AdminClient,
  filter: DrawingFilter,
  cursor: string | null,
  signal?: AbortSignal,
  limit = PAGE_SIZE,
): Promise<DrawingPage> {
  return c.get<DrawingPage>('/drawings', filterParams(filter, { limit, cursor }), signal);
}

export const getDrawing = (c: AdminClient, id: string, signal?: AbortSignal) =>
  c.get<DrawingDetail>(`/drawings/${encodeURIComponent(id)}`, undefined, signal);

export const thumbnailUrl = (c: AdminClient, id: string, size = THUMBNAIL_SIZE) =>
  c.url(`/drawings/${encodeURIComponent(id)}/thumbnail.png`, { size });

/** The updated row when the server sends one back, else null (the caller applies its change). */
function rowOrNull(raw: unknown): Partial<DrawingRow> | null {
  return isObject(raw) && typeof raw.id === 'string' ? (raw as Partial<DrawingRow>) : null;
}

const drawingPath = (id: string, action: string) => `/drawings/${encodeURIComponent(id)}/${action}`;

export async function flagDrawing(c: AdminClient, id: string, flagged: boolean, reason?: string) {
  const body = flagged && reason ? { flagged, reason } : { flagged };
  return rowOrNull(await c.post<unknown>(drawingPath(id, 'flag'), body));
}

export async function deleteDrawing(c: AdminClient, id: string) {
  return rowOrNull(await c.post<unknown>(drawingPath(id, 'delete')));
}

export async function restoreDrawing(c: AdminClient, id: string) {
  return rowOrNull(await c.post<unknown>(drawingPath(id, 'restore')));
}

export async function setQuality(c: AdminClient, id: string, quality: number) {
  return rowOrNull(await c.post<unknown>(drawingPath(id, 'quality'), { quality }));
}

export interface BulkRequest {
  readonly action: BulkAction;
  /** Either the selected ids, or the whole filter. */
  readonly target: { readonly ids: readonly string[] } | { readonly filter: DrawingFilter };
  readonly reason?: string;
  readonly quality?: number;
}

export function bulkBody(req: BulkRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { action: req.action };
  if ('ids' in req.target) body.ids = [...req.target.ids];
  else body.filter = filterToJson(req.target.filter);
  if (req.action === 'flag' && req.reason) body.reason = req.reason;
  if (req.action === 'quality') body.quality = req.quality;
  return body;
}

export const bulkUpdate = (c: AdminClient, req: BulkRequest) =>
  c.post<{ affected: number }>('/drawings/bulk', bulkBody(req));

export async function startTraining(c: AdminClient, body: TrainingRequest): Promise<TrainingJob> {
  const raw = await c.post<unknown>('/training/start', body);
  return toJob(isObject(raw) && isObject(raw.job) ? raw.job : raw);
}

export async function listJobs(c: AdminClient, signal?: AbortSignal): Promise<TrainingJob[]> {
  const raw = await c.get<unknown>('/training', undefined, signal);
  return listOf(raw, 'jobs').map((j) => toJob(j));
}

export async function getJob(c: AdminClient, id: string, signal?: AbortSignal): Promise<TrainingJob> {
  const raw = await c.get<unknown>(`/training/${encodeURIComponent(id)}`, undefined, signal);
  return toJob(isObject(raw) && isObject(raw.job) ? raw.job : raw);
}

export const cancelJob = (c: AdminClient, id: string) => c.post<unknown>(`/training/${encodeURIComponent(id)}/cancel`);

/** The versions of one kind (each kind numbers its own versions and has its own active one). */
export async function listModels(c: AdminClient, kind: ModelKind, signal?: AbortSignal): Promise<ModelVersion[]> {
  const raw = await c.get<unknown>('/models', { kind }, signal);
  return listOf(raw, 'models').map(toModel);
}

export const activateModel = (c: AdminClient, id: string) =>
  c.post<unknown>(`/models/${encodeURIComponent(id)}/activate`);

export async function compareModels(c: AdminClient, a: string, b: string, signal?: AbortSignal): Promise<ModelComparison> {
  const raw = await c.get<unknown>('/models/compare', { a, b }, signal);
  const r = isObject(raw) ? raw : {};
  const changed = Array.isArray(r.changed) ? (r.changed.filter(isObject) as unknown as ChangedPrediction[]) : [];
  return {
    a: toModel(r.a),
    b: toModel(r.b),
    changed,
    evaluated: typeof r.evaluated === 'number' ? r.evaluated : 0,
  };
}

export const runCleanup = (c: AdminClient, dryRun: boolean, batchSize: number) =>
  c.post<CleanupResult>('/cleanup/run', { dryRun, batchSize });
