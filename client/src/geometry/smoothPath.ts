import { midpoint } from './midpoint';
import type { CanvasPoint } from './types';

/** One piece of a rendered stroke; `pressure` is the pen pressure that piece is drawn with. */
export type PathSegment =
  | { readonly kind: 'dot'; readonly at: CanvasPoint; readonly pressure: number }
  | {
      readonly kind: 'line';
      readonly from: CanvasPoint;
      readonly to: CanvasPoint;
      readonly pressure: number;
    }
  | {
      readonly kind: 'quad';
      readonly from: CanvasPoint;
      readonly control: CanvasPoint;
      readonly to: CanvasPoint;
      readonly pressure: number;
    };

const DEFAULT_PRESSURE = 0.5;

/**
 * A smooth path through sampled pointer positions: quadratic curves whose end points are the
 * midpoints between samples and whose control points are the samples themselves. Consecutive
 * curves share a tangent at each midpoint, so the polyline's corners disappear without the
 * overshoot of a Catmull-Rom spline; the path starts and ends exactly on the first and last
 * samples.
 */
export function smoothPath(
  points: readonly CanvasPoint[],
  pressures: readonly number[] = [],
): PathSegment[] {
  const n = points.length;
  const pressureAt = (i: number): number => pressures[i] ?? DEFAULT_PRESSURE;
  if (n === 0) return [];
  if (n === 1) return [{ kind: 'dot', at: points[0]!, pressure: pressureAt(0) }];
  if (n === 2) {
    return [
      {
        kind: 'line',
        from: points[0]!,
        to: points[1]!,
        pressure: (pressureAt(0) + pressureAt(1)) / 2,
      },
    ];
  }
  const segments: PathSegment[] = [];
  let from = midpoint(points[0]!, points[1]!);
  segments.push({ kind: 'line', from: points[0]!, to: from, pressure: pressureAt(0) });
  for (let i = 1; i < n - 1; i++) {
    const to = midpoint(points[i]!, points[i + 1]!);
    segments.push({ kind: 'quad', from, control: points[i]!, to, pressure: pressureAt(i) });
    from = to;
  }
  segments.push({ kind: 'line', from, to: points[n - 1]!, pressure: pressureAt(n - 1) });
  return segments;
}
