import { clampToCanvas } from '../geometry/clampToCanvas';
import type { CanvasPoint, Size } from '../geometry/types';
import type { Device, PointArrays, WireStroke } from '../protocol';
import { DRAWING_LIMITS, PEN, type DrawingLimits } from './limits';

/** One pointer sample as input hands it over. */
export interface Sample {
  readonly point: CanvasPoint;
  /** Event time on the performance timeline (PointerEvent.timeStamp), ms. */
  readonly time: number;
  /** Pressure in [0, 1]. */
  readonly pressure: number;
}

/** A stroke as the renderer reads it: parallel arrays, growing while it is drawn. */
export interface StrokeView {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly t: readonly number[];
  readonly p: readonly number[];
  readonly color: string;
  readonly width: number;
}

/** Points of the active stroke not yet streamed, as one `points` frame's worth. */
export interface Batch {
  readonly stroke: number;
  readonly points: PointArrays;
  /** The stroke's first batch carries its colour and width. */
  readonly first: boolean;
}

/** `points`: samples were added; `strokes`: a stroke began, ended or went, or all were cleared. */
export type DraftChange = 'points' | 'strokes';

interface MutableStroke {
  x: number[];
  y: number[];
  t: number[];
  p: number[];
  color: string;
  width: number;
}

/**
 * The drawing in progress: what the player has drawn since the last submit or clear, in the
 * wire's units (canvas CSS pixels, ms since the first pointer-down, pressure). Values are
 * rounded to float32 as they arrive, so what is rendered, streamed, kept in the outbox and
 * stored by the server are bit-for-bit the same numbers.
 *
 * No DOM here: input feeds it samples, the renderer reads it, the session streams its batches.
 */
export class Draft {
  private strokes: MutableStroke[] = [];
  private active = false;
  /** How many points of the last stroke have been handed out by takeBatch. */
  private sent = 0;
  private origin = 0;
  private startedAtMs = 0;
  private lastT = 0;
  private points = 0;
  private canvas: Size | null = null;
  private deviceUsed: Device = 'mouse';
  private full = false;
  private readonly listeners = new Set<(change: DraftChange) => void>();

  constructor(private readonly limits: DrawingLimits = DRAWING_LIMITS) {}

  subscribe(listener: (change: DraftChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get strokeCount(): number {
    return this.strokes.length;
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0;
  }

  /** True between begin() and end(). */
  get isDrawing(): boolean {
    return this.active;
  }

  /** True once a limit stopped the drawing from growing. */
  get isFull(): boolean {
    return this.full;
  }

  get pointCount(): number {
    return this.points;
  }

  /** The canvas size fixed when the first stroke began (null while empty). */
  get size(): Size | null {
    return this.canvas;
  }

  get device(): Device {
    return this.deviceUsed;
  }

  /** Epoch ms of the first pointer-down. */
  get startedAt(): number {
    return this.startedAtMs;
  }

  /** From the first pointer-down to the last sample. */
  get durationMs(): number {
    return this.lastT;
  }

  get strokeViews(): readonly StrokeView[] {
    return this.strokes;
  }

  /**
   * Starts a stroke at `sample`. The first stroke fixes the drawing's time origin and canvas
   * size. Returns the stroke's index, or null when the drawing is full.
   */
  begin(sample: Sample, size: Size, device: Device, epochMs: number): number | null {
    if (this.active) this.end();
    if (this.strokes.length >= this.limits.maxStrokes || this.points >= this.limits.maxPoints) {
      this.full = true;
      return null;
    }
    if (this.strokes.length === 0) {
      this.origin = sample.time;
      this.startedAtMs = Math.round(epochMs);
      this.lastT = 0;
      this.canvas = { width: Math.round(size.width), height: Math.round(size.height) };
    }
    this.deviceUsed = device;
    this.full = false;
    this.strokes.push({ x: [], y: [], t: [], p: [], color: PEN.color, width: PEN.width });
    this.active = true;
    this.sent = 0;
    this.emit('strokes');
    this.add(sample);
    return this.strokes.length - 1;
  }

  /**
   * Appends a sample to the active stroke. Returns false when a limit was reached and the
   * stroke can take no more (the caller should end it).
   */
  add(sample: Sample): boolean {
    const stroke = this.strokes[this.strokes.length - 1];
    if (!this.active || !stroke || !this.canvas) return false;
    if (
      stroke.x.length >= this.limits.maxPointsPerStroke ||
      this.points >= this.limits.maxPoints
    ) {
      this.full = true;
      return false;
    }
    const t = Math.max(this.lastT, Math.round(sample.time - this.origin));
    if (t > this.limits.maxDurationMs) {
      this.full = true;
      return false;
    }
    const at = clampToCanvas(sample.point, this.canvas, this.limits.coordSlack);
    const x = Math.fround(at.x);
    const y = Math.fround(at.y);
    const p = Math.fround(Number.isFinite(sample.pressure) ? Math.min(Math.max(sample.pressure, 0), 1) : 0.5);
    const n = stroke.x.length;
    // Coalesced events repeat positions; a duplicate sample adds data but no information.
    if (n > 0 && stroke.x[n - 1] === x && stroke.y[n - 1] === y && stroke.p[n - 1] === p) {
      return true;
    }
    stroke.x.push(x);
    stroke.y.push(y);
    stroke.t.push(t);
    stroke.p.push(p);
    this.lastT = t;
    this.points++;
    this.emit('points');
    return true;
  }

  /** Ends the active stroke; returns its index, or null if none was active. */
  end(): number | null {
    if (!this.active) return null;
    this.active = false;
    this.emit('strokes');
    return this.strokes.length - 1;
  }

  /** Removes the last stroke (ending it first if it is being drawn). */
  undo(): boolean {
    if (this.strokes.length === 0) return false;
    const removed = this.strokes.pop()!;
    this.active = false;
    this.sent = 0;
    this.points -= removed.x.length;
    this.full = false;
    if (this.strokes.length === 0) this.reset();
    else this.lastT = Math.max(0, ...this.strokes.map((s) => s.t[s.t.length - 1] ?? 0));
    this.emit('strokes');
    return true;
  }

  clear(): void {
    this.strokes = [];
    this.active = false;
    this.sent = 0;
    this.points = 0;
    this.full = false;
    this.reset();
    this.emit('strokes');
  }

  /** The points of the last stroke added since the previous call, or null if there are none. */
  takeBatch(): Batch | null {
    const index = this.strokes.length - 1;
    const stroke = this.strokes[index];
    if (!stroke || this.sent >= stroke.x.length) return null;
    const from = this.sent;
    this.sent = stroke.x.length;
    return { stroke: index, points: slice(stroke, from), first: from === 0 };
  }

  /** Marks everything as streamed (after the whole drawing was replayed to a new connection). */
  markAllSent(): void {
    this.sent = this.strokes[this.strokes.length - 1]?.x.length ?? 0;
  }

  /** The strokes as the wire and the outbox carry them. */
  toWire(): WireStroke[] {
    return this.strokes.map((s) => ({ ...slice(s, 0), color: s.color, width: s.width }));
  }

  private reset(): void {
    this.origin = 0;
    this.startedAtMs = 0;
    this.lastT = 0;
    this.canvas = null;
  }

  private emit(change: DraftChange): void {
    for (const l of this.listeners) l(change);
  }
}

function slice(s: MutableStroke, from: number): PointArrays {
  return {
    x: Float32Array.from(s.x.slice(from)),
    y: Float32Array.from(s.y.slice(from)),
    t: Uint32Array.from(s.t.slice(from)),
    p: Float32Array.from(s.p.slice(from)),
  };
}
