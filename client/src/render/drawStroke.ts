import { pressureWidth } from '../geometry/pressureWidth';
import { smoothPath, type PathSegment } from '../geometry/smoothPath';
import { canvasPoint, type CanvasPoint } from '../geometry/types';

/** What the renderer needs of a stroke (the draft's StrokeView and wire strokes both fit). */
export interface RenderableStroke {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly p: ArrayLike<number>;
  readonly color?: string;
  readonly width?: number;
}

/** The subset of CanvasRenderingContext2D used here (so specs can record the calls). */
export type StrokeContext = Pick<
  CanvasRenderingContext2D,
  'beginPath' | 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'arc' | 'stroke' | 'fill'
> & {
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
};

export interface StrokeStyle {
  readonly color: string;
  readonly width: number;
  /** Multiplies the width (a spectator tile shows a drawing scaled down). */
  readonly scale?: number;
}

const DEFAULT_STYLE: StrokeStyle = { color: '#1e1e1e', width: 4 };
const PRESSURE_EPSILON = 0.02;

function pointsOf(s: RenderableStroke): { points: CanvasPoint[]; pressures: number[] } {
  const n = Math.min(s.x.length, s.y.length);
  const points: CanvasPoint[] = new Array(n);
  const pressures: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    points[i] = canvasPoint(s.x[i]!, s.y[i]!);
    pressures[i] = s.p[i] ?? 0.5;
  }
  return { points, pressures };
}

function traceSegment(ctx: StrokeContext, seg: PathSegment, continuing: boolean): void {
  if (seg.kind === 'dot') return;
  if (!continuing) ctx.moveTo(seg.from.x, seg.from.y);
  if (seg.kind === 'line') ctx.lineTo(seg.to.x, seg.to.y);
  else ctx.quadraticCurveTo(seg.control.x, seg.control.y, seg.to.x, seg.to.y);
}

/**
 * Draws one stroke as a smooth path. A stroke of even pressure (any mouse stroke) is one path,
 * so its joins are seamless; a pen stroke of varying pressure is drawn piece by piece, each at
 * its own width, with round caps hiding the seams. The context's transform maps drawing
 * coordinates to pixels.
 */
export function drawStroke(ctx: StrokeContext, stroke: RenderableStroke, style: Partial<StrokeStyle> = {}): void {
  const color = stroke.color ?? style.color ?? DEFAULT_STYLE.color;
  const base = (stroke.width ?? style.width ?? DEFAULT_STYLE.width) * (style.scale ?? 1);
  const { points, pressures } = pointsOf(stroke);
  const segments = smoothPath(points, pressures);
  if (segments.length === 0) return;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  const first = segments[0]!;
  if (first.kind === 'dot') {
    ctx.beginPath();
    ctx.arc(first.at.x, first.at.y, pressureWidth(base, first.pressure) / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  const minP = Math.min(...pressures);
  const maxP = Math.max(...pressures);
  if (maxP - minP < PRESSURE_EPSILON) {
    ctx.lineWidth = pressureWidth(base, (minP + maxP) / 2);
    ctx.beginPath();
    segments.forEach((seg, i) => traceSegment(ctx, seg, i > 0));
    ctx.stroke();
    return;
  }
  for (const seg of segments) {
    ctx.lineWidth = pressureWidth(base, seg.pressure);
    ctx.beginPath();
    traceSegment(ctx, seg, false);
    ctx.stroke();
  }
}
