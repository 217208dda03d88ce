/**
 * Replaying a stored drawing at its recorded pace: which part of each stroke was on the canvas
 * `elapsed` ms after the first pointer-down. Every point carries `t` (ms since that moment), so
 * the pauses between strokes and the speed within them come back exactly as drawn.
 */

import type { RenderableStroke } from '../../render/drawStroke';

export interface TimedStroke extends RenderableStroke {
  readonly t: ArrayLike<number>;
}

/** When the last point was drawn: the replay's length in ms (0 for an empty drawing). */
export function replayDuration(strokes: readonly TimedStroke[]): number {
  let end = 0;
  for (const s of strokes) {
    const n = Math.min(s.t.length, s.x.length);
    if (n > 0) end = Math.max(end, s.t[n - 1]!);
  }
  return end;
}

/** How many leading points of `t` have been drawn by `elapsed` (t <= elapsed); binary search. */
export function pointsDrawnBy(t: ArrayLike<number>, elapsed: number, n = t.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= elapsed) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function head(values: ArrayLike<number>, count: number): ArrayLike<number> {
  if (count >= values.length) return values;
  if (Array.isArray(values)) return values.slice(0, count);
  return Array.prototype.slice.call(values, 0, count) as number[];
}

/**
 * The strokes as they stood at `elapsed` ms: strokes not yet begun are left out, the one being
 * drawn is cut at its last point so far, finished ones are whole. Colour and width are kept.
 */
export function strokesAt(strokes: readonly TimedStroke[], elapsed: number): RenderableStroke[] {
  const out: RenderableStroke[] = [];
  for (const s of strokes) {
    const n = Math.min(s.x.length, s.y.length, s.t.length);
    const count = pointsDrawnBy(s.t, elapsed, n);
    if (count === 0) continue;
    out.push({
      ...s,
      x: head(s.x, count),
      y: head(s.y, count),
      p: head(s.p, count),
    });
  }
  return out;
}

/** Total points visible at `elapsed`: a cheap key to skip redrawing an unchanged frame. */
export function visiblePointCount(strokes: readonly TimedStroke[], elapsed: number): number {
  let total = 0;
  for (const s of strokes) total += pointsDrawnBy(s.t, elapsed, Math.min(s.x.length, s.y.length, s.t.length));
  return total;
}

export type ReplayState = 'playing' | 'paused' | 'done';

/**
 * Play / pause / restart over a duration, driven by timestamps passed in (performance.now()
 * in the browser, plain numbers in specs). `speed` scales the recorded pace.
 */
export class ReplayClock {
  private startedAt = 0;
  private offset = 0;
  private running = false;

  constructor(
    readonly duration: number,
    private speed = 1,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Drawing time (ms) reached at wall time `now`, at most the duration. */
  elapsed(now: number): number {
    const raw = this.running ? this.offset + (now - this.startedAt) * this.speed : this.offset;
    return Math.min(Math.max(raw, 0), this.duration);
  }

  state(now: number): ReplayState {
    if (this.elapsed(now) >= this.duration) return 'done';
    return this.running ? 'playing' : 'paused';
  }

  /** Starts or resumes; from the beginning when it had finished. */
  play(now: number): void {
    if (this.running) return;
    if (this.offset >= this.duration) this.offset = 0;
    this.startedAt = now;
    this.running = true;
  }

  pause(now: number): void {
    if (!this.running) return;
    this.offset = this.elapsed(now);
    this.running = false;
  }

  restart(now: number): void {
    this.offset = 0;
    this.startedAt = now;
    this.running = true;
  }

  /** Jumps to the end (reduced motion, or "show whole drawing"). */
  finish(): void {
    this.offset = this.duration;
    this.running = false;
  }

  setSpeed(speed: number, now: number): void {
    this.offset = this.elapsed(now);
    this.startedAt = now;
    this.speed = speed > 0 ? speed : 1;
  }

  /** Stops running once the end is reached, so `isRunning` tells whether frames are needed. */
  settle(now: number): void {
    if (this.running && this.elapsed(now) >= this.duration) {
      this.offset = this.duration;
      this.running = false;
    }
  }
}
