import { canvasPoint, type CanvasPoint } from './types';

/** The point halfway between two points. */
export function midpoint(a: CanvasPoint, b: CanvasPoint): CanvasPoint {
  return canvasPoint((a.x + b.x) / 2, (a.y + b.y) / 2);
}
