import { canvasPoint, type CanvasPoint, type Rect, type ScreenPoint, type Size } from './types';

/**
 * Maps a pointer position in the viewport to the drawing's coordinates.
 *
 * `logical` is the drawing's size, fixed when its first stroke began. It normally equals the
 * element's CSS size; if the element is resized mid-drawing (a phone rotated), points are
 * scaled so the drawing keeps one coordinate system.
 */
export function toCanvasPoint(screen: ScreenPoint, rect: Rect, logical: Size): CanvasPoint {
  const sx = rect.width > 0 ? logical.width / rect.width : 1;
  const sy = rect.height > 0 ? logical.height / rect.height : 1;
  return canvasPoint((screen.x - rect.left) * sx, (screen.y - rect.top) * sy);
}
