/**
 * `POST /api/inference/generate` from the lab: the request body from the form, the answer as
 * timed strokes ready to replay, and every failure as a sentence (server/routes_generation.py).
 */

import type { TimedStroke } from '../admin/data/replayTimeline';

export const MIN_TEMPERATURE = 0.1;
export const MAX_TEMPERATURE = 2.0;
export const DEFAULT_TEMPERATURE = 1.0;
const MAX_SEED = Number.MAX_SAFE_INTEGER;

export interface GenerateForm {
  readonly shape: string;
  readonly temperature: number;
  /** What the seed box holds: '' lets the server pick one (and say which). */
  readonly seed: string;
}

export interface Verdict {
  readonly shape: string;
  readonly confidence: number;
}

export interface Generated {
  readonly shape: string;
  /** Point times in ms from the first point: the pace the model drew at. */
  readonly strokes: readonly TimedStroke[];
  readonly canvas: { readonly width: number; readonly height: number };
  readonly seed: number;
  readonly temperature: number;
  readonly modelVersion: number;
  readonly generationTimeMs: number;
  /** What the active classifier thinks it is; null when no classifier is loaded. */
  readonly verdict: Verdict | null;
}

export type GenerateOutcome =
  | { readonly ok: true; readonly generated: Generated }
  | { readonly ok: false; readonly noModel: boolean; readonly message: string };

/** The seed box as a seed: null when empty, undefined when not a usable integer. */
export function parseSeed(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const seed = Number(trimmed);
  return Number.isSafeInteger(seed) && seed <= MAX_SEED ? seed : undefined;
}

export function generateBody(form: GenerateForm): Record<string, unknown> {
  const seed = parseSeed(form.seed);
  return {
    shape: form.shape,
    count: 1,
    temperature: Math.round(form.temperature * 100) / 100,
    ...(typeof seed === 'number' ? { seed } : {}),
  };
}

interface WirePoint {
  readonly x: number;
  readonly y: number;
  readonly pressure?: number;
  readonly timestamp: number;
}

interface WireStroke {
  readonly points: readonly WirePoint[];
  readonly color?: string;
  readonly width?: number;
}

interface WireAnswer {
  readonly drawings: readonly { readonly strokeData: { readonly canvas: { width: number; height: number }; readonly strokes: readonly WireStroke[] } }[];
  readonly shape: string;
  readonly seed: number;
  readonly temperature: number;
  readonly modelVersion: number;
  readonly generationTimeMs: number;
  readonly classifier?: readonly Verdict[];
}

/** Strokes with point times relative to the drawing's first point. */
export function timedStrokes(strokes: readonly WireStroke[]): TimedStroke[] {
  const t0 = Math.min(...strokes.map((s) => s.points[0]?.timestamp ?? Infinity));
  return strokes.map((s) => ({
    x: s.points.map((p) => p.x),
    y: s.points.map((p) => p.y),
    p: s.points.map((p) => p.pressure ?? 0.5),
    t: s.points.map((p) => p.timestamp - t0),
    color: s.color,
    width: s.width,
  }));
}

export function parseGenerated(answer: WireAnswer): Generated {
  const first = answer.drawings[0];
  if (!first) throw new Error('the server sent no drawing');
  return {
    shape: answer.shape,
    strokes: timedStrokes(first.strokeData.strokes),
    canvas: first.strokeData.canvas,
    seed: answer.seed,
    temperature: answer.temperature,
    modelVersion: answer.modelVersion,
    generationTimeMs: answer.generationTimeMs,
    verdict: answer.classifier?.[0] ?? null,
  };
}

function problem(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const { message, details } = body as { message?: string; details?: { field: string; message: string }[] };
    if (details?.length) return details.map((d) => `${d.field}: ${d.message}`).join('; ');
    if (message) return message;
  }
  return `the server answered ${status}`;
}

/** One generation; never throws (a network failure is an outcome like any other). */
export async function requestGeneration(form: GenerateForm, fetcher: typeof fetch = fetch): Promise<GenerateOutcome> {
  try {
    const response = await fetcher('/api/inference/generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(generateBody(form)),
    });
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, generated: parseGenerated(body as WireAnswer) };
    if (response.status === 503) {
      return { ok: false, noModel: true, message: 'No generator is active yet. Train one and activate it in Admin; this page picks it up by itself.' };
    }
    return { ok: false, noModel: false, message: problem(body, response.status) };
  } catch (error) {
    return { ok: false, noModel: false, message: `Could not reach the server (${error instanceof Error ? error.message : String(error)}).` };
  }
}
