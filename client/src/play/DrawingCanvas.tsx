import { useEffect, useRef, type ReactNode } from 'react';
import type { Draft } from '../drawing/draft';
import { DrawingSurface, type SurfaceCallbacks } from './drawingSurface';

export interface DrawingCanvasProps {
  readonly draft: Draft;
  readonly callbacks: SurfaceCallbacks;
  readonly enabled: boolean;
  readonly label: string;
  readonly children?: ReactNode;
}

/**
 * The two stacked canvases of the play screen. React only places them; drawing and input are
 * DrawingSurface's, which lives as long as the component.
 */
export function DrawingCanvas({ draft, callbacks, enabled, label, children }: DrawingCanvasProps) {
  const baseRef = useRef<HTMLCanvasElement>(null);
  const liveRef = useRef<HTMLCanvasElement>(null);
  const surfaceRef = useRef<DrawingSurface | null>(null);

  useEffect(() => {
    const base = baseRef.current;
    const live = liveRef.current;
    if (!base || !live) return;
    const surface = new DrawingSurface(live, base, draft, callbacks);
    surfaceRef.current = surface;
    const detach = surface.attach();
    return () => {
      detach();
      surfaceRef.current = null;
    };
  }, [draft, callbacks]);

  useEffect(() => {
    surfaceRef.current?.setEnabled(enabled);
  }, [enabled]);

  const size = draft.size;
  return (
    <div className="canvas-frame">
      <canvas ref={baseRef} className="canvas-layer" aria-hidden="true" />
      <canvas
        ref={liveRef}
        className="canvas-layer canvas-input"
        role="img"
        aria-label={label}
        data-testid="draw-canvas"
        data-strokes={draft.strokeCount}
        data-canvas-width={size?.width}
        data-canvas-height={size?.height}
      />
      {children}
    </div>
  );
}
