import type { Bounds } from './types';

/** The coordinates of one stroke, as parallel arrays (the wire's layout). */
export interface XY {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** The smallest box holding every point of every stroke, or null when there are no points. */
export function boundsOf(strokes: readonly XY[]): Bounds | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of strokes) {
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return minX === Infinity ? null : { minX, minY, maxX, maxY };
}
