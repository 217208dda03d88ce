import { canvasPoint, type CanvasPoint, type Size } from './types';

/**
 * Keeps a point within the area the server accepts: the canvas plus `slack` of its size on each
 * side (game/limits.py `coord_slack`). A stroke that wanders off the canvas keeps its shape up
 * to that margin instead of making the whole drawing invalid.
 */
export function clampToCanvas(point: CanvasPoint, size: Size, slack = 0.5): CanvasPoint {
  const mx = size.width * slack;
  const my = size.height * slack;
  // `+ 0` turns -0 (from a zero slack) into 0, so no negative zero reaches the wire.
  return canvasPoint(
    Math.min(Math.max(point.x, -mx), size.width + mx) + 0,
    Math.min(Math.max(point.y, -my), size.height + my) + 0,
  );
}
