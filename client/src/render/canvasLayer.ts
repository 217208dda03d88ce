import type { Size } from '../geometry/types';
import type { ViewTransform } from '../geometry/fitView';
import { backingSize } from './backingSize';
import { drawStroke, type RenderableStroke, type StrokeStyle } from './drawStroke';

/**
 * One <canvas> used as a drawing layer: a backing store matched to the device pixel ratio and
 * a transform from drawing coordinates to its pixels. Redraws are whole-layer (clear, then
 * draw): layers are small and strokes few, and it keeps every frame exactly right.
 */
export class CanvasLayer {
  private readonly ctx: CanvasRenderingContext2D | null;
  private css: Size = { width: 0, height: 0 };

  constructor(readonly canvas: HTMLCanvasElement) {
    // jsdom-like environments have no 2D context; the layer then draws nothing.
    this.ctx = canvas.getContext('2d');
  }

  /** Matches the backing store to the element's CSS size; returns true if it changed. */
  resize(css: Size, dpr: number): boolean {
    const backing = backingSize(css, dpr);
    this.css = css;
    if (this.canvas.width === backing.width && this.canvas.height === backing.height) return false;
    this.canvas.width = backing.width;
    this.canvas.height = backing.height;
    return true;
  }

  clear(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /**
   * Draws strokes given in drawing coordinates. `logical` is the drawing's size (it fills the
   * layer); `view` instead fits a drawing into the layer (spectator tiles).
   */
  draw(
    strokes: readonly RenderableStroke[],
    placement: { logical: Size } | { view: ViewTransform },
    style: Partial<StrokeStyle> = {},
  ): void {
    const ctx = this.ctx;
    if (!ctx || this.css.width === 0 || this.css.height === 0) return;
    const px = this.canvas.width / this.css.width;
    const py = this.canvas.height / this.css.height;
    if ('logical' in placement) {
      const sx = (this.css.width / Math.max(placement.logical.width, 1)) * px;
      const sy = (this.css.height / Math.max(placement.logical.height, 1)) * py;
      ctx.setTransform(sx, 0, 0, sy, 0, 0);
    } else {
      const v = placement.view;
      ctx.setTransform(v.scale * px, 0, 0, v.scale * py, v.offsetX * px, v.offsetY * py);
    }
    for (const s of strokes) drawStroke(ctx, s, style);
  }
}
