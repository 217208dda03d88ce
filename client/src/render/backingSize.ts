import type { Size } from '../geometry/types';

/**
 * The pixel size of a canvas's backing store for a CSS size on a screen with `dpr` device
 * pixels per CSS pixel: one backing pixel per device pixel keeps lines crisp on high-DPI
 * screens. Capped so a huge, dense screen can't ask for an absurd buffer.
 */
export function backingSize(css: Size, dpr: number, maxSide = 4096): Size {
  const ratio = Number.isFinite(dpr) && dpr > 0 ? dpr : 1;
  const side = (v: number) => Math.min(maxSide, Math.max(1, Math.round(v * ratio)));
  return { width: side(css.width), height: side(css.height) };
}
