import type { Batch, Draft, StrokeView } from '../drawing/draft';
import { deviceOf, pressureOf } from '../drawing/pointerInput';
import { toCanvasPoint } from '../geometry/toCanvasPoint';
import { screenPoint, type Size } from '../geometry/types';
import type { Device } from '../protocol';
import { CanvasLayer } from '../render/canvasLayer';

/**
 * How often the stroke being drawn is streamed. Spectators see ~10 updates a second and the
 * live guess is throttled to 4 a second, so sending every animation frame (60 Hz) would only
 * multiply the server's per-frame cost by six; the pen-up always sends what is left at once.
 */
export const STREAM_INTERVAL_MS = 100;

export interface SurfaceCallbacks {
  /** Points of the stroke being drawn, at most every STREAM_INTERVAL_MS. */
  readonly onBatch: (batch: Batch) => void;
  readonly onStrokeEnd: (stroke: number) => void;
  readonly onDevice?: (device: Device) => void;
  /** A limit stopped the drawing from growing. */
  readonly onFull?: () => void;
}

/**
 * Connects a pair of stacked canvases to a Draft: Pointer Events in (mouse, touch and pen,
 * coalesced samples, pressure), pixels out. Finished strokes live on the base layer, redrawn
 * only when strokes change; the stroke being drawn lives on the live layer, redrawn once per
 * animation frame, and its new points are streamed every STREAM_INTERVAL_MS.
 *
 * Only one pointer draws at a time: a second finger or a resting palm is ignored.
 */
export class DrawingSurface {
  private readonly base: CanvasLayer;
  private readonly live: CanvasLayer;
  private active: number | null = null;
  private predicted: StrokeView | null = null;
  private baseDirty = true;
  private liveDirty = true;
  private frame = 0;
  private lastFlush = 0;
  private css: Size = { width: 0, height: 0 };
  private enabled = true;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly target: HTMLCanvasElement,
    baseCanvas: HTMLCanvasElement,
    private readonly draft: Draft,
    private readonly callbacks: SurfaceCallbacks,
    private readonly win: Window = window,
  ) {
    this.base = new CanvasLayer(baseCanvas);
    this.live = new CanvasLayer(target);
  }

  attach(): () => void {
    const t = this.target;
    const on = <K extends keyof HTMLElementEventMap>(
      type: K,
      fn: (ev: HTMLElementEventMap[K]) => void,
      opts?: AddEventListenerOptions,
    ) => {
      t.addEventListener(type, fn, opts);
      this.cleanups.push(() => t.removeEventListener(type, fn, opts));
    };
    on('pointerdown', (e) => this.down(e));
    on('pointermove', (e) => this.move(e));
    on('pointerup', (e) => this.up(e));
    on('pointercancel', (e) => this.up(e));
    on('lostpointercapture', (e) => this.up(e));
    // A long press must not open a context menu or start a text selection mid-stroke.
    on('contextmenu', (e) => e.preventDefault());
    on('selectstart', (e) => e.preventDefault());
    // iOS Safari still scrolls on touchmove unless it is cancelled (touch-action is not enough).
    on('touchmove', (e) => e.preventDefault(), { passive: false });

    this.cleanups.push(this.draft.subscribe((change) => {
      if (change === 'strokes') this.baseDirty = true;
      this.liveDirty = true;
      this.schedule();
    }));

    const ro = new ResizeObserver(() => this.measure());
    ro.observe(t);
    this.cleanups.push(() => ro.disconnect());
    this.watchPixelRatio();
    this.measure();
    return () => this.detach();
  }

  detach(): void {
    for (const c of this.cleanups.splice(0)) c();
    if (this.frame) this.win.cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** While disabled (instructions shown, saving), pointer input is ignored. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.finish();
  }

  // ---- input ---------------------------------------------------------------------------------

  private down(e: PointerEvent): void {
    if (!this.enabled || this.active !== null) return;
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    const rect = this.target.getBoundingClientRect();
    const size = this.draft.size ?? { width: rect.width, height: rect.height };
    const device = deviceOf(e.pointerType);
    // Event times are relative to the page's time origin (older engines used epoch ms).
    const epoch = e.timeStamp > 1e12 ? e.timeStamp : performance.timeOrigin + e.timeStamp;
    const index = this.draft.begin(this.sample(e, rect, size), size, device, epoch);
    if (index === null) {
      this.callbacks.onFull?.();
      return;
    }
    this.active = e.pointerId;
    this.callbacks.onDevice?.(device);
    try {
      this.target.setPointerCapture(e.pointerId);
    } catch {
      // The pointer may already be gone (synthetic events); the stroke still works in bounds.
    }
  }

  private move(e: PointerEvent): void {
    if (e.pointerId !== this.active) return;
    e.preventDefault();
    const rect = this.target.getBoundingClientRect();
    const size = this.draft.size ?? { width: rect.width, height: rect.height };
    const coalesced = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const c of coalesced.length > 0 ? coalesced : [e]) {
      if (!this.draft.add(this.sample(c, rect, size))) {
        this.callbacks.onFull?.();
        this.finish();
        return;
      }
    }
    const predicted = typeof e.getPredictedEvents === 'function' ? e.getPredictedEvents() : [];
    this.predicted = predicted.length > 0 ? this.predictedView(predicted, rect, size) : null;
  }

  private up(e: PointerEvent): void {
    if (e.pointerId !== this.active) return;
    if (e.type === 'pointerup') {
      const rect = this.target.getBoundingClientRect();
      this.draft.add(this.sample(e, rect, this.draft.size ?? rect));
    }
    this.finish();
  }

  /** Ends the stroke being drawn: its last points go out before its `end`. */
  private finish(): void {
    if (this.active === null) return;
    const pointer = this.active;
    this.active = null;
    this.predicted = null;
    this.flush();
    const index = this.draft.end();
    if (index !== null) this.callbacks.onStrokeEnd(index);
    try {
      if (this.target.hasPointerCapture(pointer)) this.target.releasePointerCapture(pointer);
    } catch {
      // already released
    }
  }

  private sample(e: PointerEvent, rect: DOMRect | Size, size: Size) {
    const r = 'left' in rect ? rect : { left: 0, top: 0, ...rect };
    return {
      point: toCanvasPoint(screenPoint(e.clientX, e.clientY), r, size),
      time: e.timeStamp,
      pressure: pressureOf(e.pointerType, e.pressure),
    };
  }

  private predictedView(events: PointerEvent[], rect: DOMRect, size: Size): StrokeView | null {
    const strokes = this.draft.strokeViews;
    const last = strokes[strokes.length - 1];
    const n = last?.x.length ?? 0;
    if (!last || n === 0) return null;
    const pts = events.map((ev) => toCanvasPoint(screenPoint(ev.clientX, ev.clientY), rect, size));
    return {
      x: [last.x[n - 1]!, ...pts.map((p) => p.x)],
      y: [last.y[n - 1]!, ...pts.map((p) => p.y)],
      t: [],
      p: [last.p[n - 1]!, ...events.map((ev) => pressureOf(ev.pointerType, ev.pressure))],
      color: last.color,
      width: last.width,
    };
  }

  // ---- output --------------------------------------------------------------------------------

  private flush(): void {
    this.lastFlush = this.win.performance.now();
    const batch = this.draft.takeBatch();
    if (batch) this.callbacks.onBatch(batch);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = this.win.requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    if (this.active !== null && this.win.performance.now() - this.lastFlush >= STREAM_INTERVAL_MS) {
      this.flush();
    }
    const logical = this.draft.size ?? this.css;
    const strokes = this.draft.strokeViews;
    const drawing = this.draft.isDrawing;
    if (this.baseDirty) {
      this.baseDirty = false;
      this.base.clear();
      this.base.draw(drawing ? strokes.slice(0, -1) : strokes, { logical });
    }
    if (this.liveDirty) {
      this.liveDirty = false;
      this.live.clear();
      const current = drawing ? strokes[strokes.length - 1] : undefined;
      if (current) {
        this.live.draw(this.predicted ? [current, this.predicted] : [current], { logical });
      }
    }
  }

  private measure(): void {
    const rect = this.target.getBoundingClientRect();
    this.css = { width: rect.width, height: rect.height };
    const dpr = this.win.devicePixelRatio || 1;
    this.base.resize(this.css, dpr);
    this.live.resize(this.css, dpr);
    // Resizing a canvas wipes it, so both layers are redrawn.
    this.baseDirty = this.liveDirty = true;
    this.schedule();
  }

  /** Moving the window to a screen of another density changes the ratio without a resize. */
  private watchPixelRatio(): void {
    if (typeof this.win.matchMedia !== 'function') return;
    const mq = this.win.matchMedia(`(resolution: ${this.win.devicePixelRatio || 1}dppx)`);
    const onChange = () => {
      mq.removeEventListener('change', onChange);
      this.measure();
      this.watchPixelRatio();
    };
    mq.addEventListener('change', onChange);
    this.cleanups.push(() => mq.removeEventListener('change', onChange));
  }
}
