import { useEffect, useMemo, useRef } from 'react';
import { ReplayClock, replayDuration, strokesAt, visiblePointCount, type TimedStroke } from '../admin/data/replayTimeline';
import { CanvasLayer } from '../render/canvasLayer';

export interface GeneratedReplayProps {
  readonly strokes: readonly TimedStroke[];
  readonly canvas: { readonly width: number; readonly height: number };
  /** Bumped to draw the same drawing again from its first point. */
  readonly replayKey: number;
  readonly label: string;
}

function reducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * A generated drawing drawn stroke by stroke at the pace the model gave it (each point's time),
 * pen lifts and pauses included, through the same renderer as /play. A frame is redrawn only
 * when another point became visible; with reduced motion the whole drawing shows at once.
 */
export function GeneratedReplay({ strokes, canvas, replayKey, label }: GeneratedReplayProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const duration = useMemo(() => replayDuration(strokes), [strokes]);

  useEffect(() => {
    const el = canvasRef.current;
    if (!el) return;
    const layer = new CanvasLayer(el);
    const rect = el.getBoundingClientRect();
    layer.resize({ width: rect.width, height: rect.height }, window.devicePixelRatio || 1);
    const clock = new ReplayClock(duration);
    if (reducedMotion()) clock.finish();
    else clock.play(performance.now());
    let drawn = -1;
    let frame: number | null = null;
    const tick = () => {
      const now = performance.now();
      clock.settle(now);
      const elapsed = clock.elapsed(now);
      const count = visiblePointCount(strokes, elapsed);
      if (count !== drawn) {
        layer.clear();
        layer.draw(strokesAt(strokes, elapsed), { logical: canvas });
        drawn = count;
      }
      frame = clock.isRunning ? requestAnimationFrame(tick) : null;
    };
    tick();
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [strokes, canvas, duration, replayKey]);

  return (
    <div className="lab-generated" style={{ aspectRatio: `${canvas.width} / ${canvas.height}` }}>
      <canvas ref={canvasRef} role="img" aria-label={label} data-testid="lab-generated-canvas" data-duration={Math.round(duration)} />
    </div>
  );
}
