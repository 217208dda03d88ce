/**
 * The lab's state as a pure reducer: the live prediction, its latency, the model, and the
 * history of tries. The socket, the canvas and fetch live in useLabClassifier; this decides
 * what the page shows from what they report.
 */

import type { ClassifyServerFrame, ModelInfo, Ranked } from './classifyProtocol';

export type LabConnection = 'connecting' | 'open' | 'offline';

/** A finished try: what was drawn (for a thumbnail) and what the model said last. */
export interface Try {
  readonly id: number;
  readonly strokes: readonly { readonly x: readonly number[]; readonly y: readonly number[] }[];
  readonly shape: string | null;
  readonly confidence: number;
  readonly latencyMs: number | null;
  readonly model: number | null;
}

export interface LabState {
  readonly connection: LabConnection;
  readonly model: ModelInfo | null;
  /** The server said no model is loaded (503 from model/info, or `no_model` on the socket). */
  readonly noModel: boolean;
  readonly predictions: Ranked;
  readonly predictionModel: number | null;
  /** Round trip of the last prediction: update sent -> prediction received. */
  readonly latencyMs: number | null;
  /** Of that, the server's share (batching wait, rasteriser, model). */
  readonly serverMs: number | null;
  /** Recent round trips, newest last, for the median. */
  readonly recentMs: readonly number[];
  readonly tries: readonly Try[];
  readonly problem: string | null;
}

export const MAX_TRIES = 12;
const RECENT = 50;

export const initialLabState: LabState = {
  connection: 'connecting',
  model: null,
  noModel: false,
  predictions: [],
  predictionModel: null,
  latencyMs: null,
  serverMs: null,
  recentMs: [],
  tries: [],
  problem: null,
};

export type LabAction =
  | { readonly type: 'connection'; readonly connection: LabConnection }
  | { readonly type: 'frame'; readonly frame: ClassifyServerFrame; readonly latencyMs: number | null }
  | { readonly type: 'model'; readonly model: ModelInfo | null }
  | { readonly type: 'archive'; readonly strokes: Try['strokes'] };

export function labReducer(state: LabState, action: LabAction): LabState {
  switch (action.type) {
    case 'connection':
      return { ...state, connection: action.connection };
    case 'model':
      return { ...state, model: action.model, noModel: action.model === null };
    case 'archive': {
      if (action.strokes.length === 0) return state;
      const top = state.predictions[0];
      const entry: Try = {
        id: (state.tries[0]?.id ?? 0) + 1,
        strokes: action.strokes,
        shape: top?.[0] ?? null,
        confidence: top?.[1] ?? 0,
        latencyMs: state.latencyMs,
        model: state.predictionModel,
      };
      return { ...state, tries: [entry, ...state.tries].slice(0, MAX_TRIES), predictions: [] };
    }
    case 'frame':
      return applyFrame(state, action.frame, action.latencyMs);
  }
}

function applyFrame(state: LabState, frame: ClassifyServerFrame, latencyMs: number | null): LabState {
  switch (frame.type) {
    case 'ready':
      return { ...state, model: frame.model ?? state.model, noModel: frame.model === null, problem: null };
    case 'prediction': {
      const recentMs = latencyMs === null ? state.recentMs : [...state.recentMs, latencyMs].slice(-RECENT);
      return {
        ...state,
        noModel: false,
        problem: null,
        predictions: frame.predictions,
        predictionModel: frame.model ?? state.predictionModel,
        latencyMs: latencyMs ?? state.latencyMs,
        serverMs: frame.predictions.length > 0 ? frame.inferenceMs : state.serverMs,
        recentMs,
      };
    }
    case 'error':
      if (frame.code === 'no_model') return { ...state, noModel: true, predictions: [] };
      return { ...state, problem: frame.message || frame.code };
    case 'pong':
      return state;
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Probabilities by shape, in the model's class order, so bars stay put while they move. */
export function barsOf(model: ModelInfo | null, predictions: Ranked): { shape: string; p: number }[] {
  const byShape = new Map(predictions.map(([shape, p]) => [shape, p]));
  const order = model?.shapes ?? predictions.map(([shape]) => shape);
  return order.map((shape) => ({ shape, p: byShape.get(shape) ?? 0 }));
}
