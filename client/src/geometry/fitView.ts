import type { Bounds, Size } from './types';

/** Maps drawing coordinates into a view: `viewX = x * scale + offsetX`. */
export interface ViewTransform {
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

export interface FitOptions {
  /** Empty space kept around the drawing, in view pixels. */
  readonly padding?: number;
  /**
   * The smallest drawing extent, in drawing pixels, that fills the view. Without it the first
   * few points of a drawing would be blown up to fill the tile and then shrink as it grows.
   */
  readonly minExtent?: number;
}

/**
 * The transform that shows `bounds` centred in `view`, uniformly scaled (a circle stays round)
 * so that the larger side fits inside the padding.
 */
export function fitView(bounds: Bounds, view: Size, options: FitOptions = {}): ViewTransform {
  const padding = options.padding ?? 0;
  const minExtent = options.minExtent ?? 1;
  const w = Math.max(bounds.maxX - bounds.minX, minExtent);
  const h = Math.max(bounds.maxY - bounds.minY, minExtent);
  const availW = Math.max(view.width - 2 * padding, 1);
  const availH = Math.max(view.height - 2 * padding, 1);
  const scale = Math.min(availW / w, availH / h);
  const cx = (bounds.minX + bounds.maxX) / 2;
  const cy = (bounds.minY + bounds.maxY) / 2;
  return { scale, offsetX: view.width / 2 - cx * scale, offsetY: view.height / 2 - cy * scale };
}
