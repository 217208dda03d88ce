import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { CanvasLayer } from '../../render/canvasLayer';
import type { StoredStroke } from '../api/types';
import { prefersReducedMotion } from '../charts/chartSetup';
import { formatDuration } from '../ui/format';
import { ReplayClock, replayDuration, strokesAt, visiblePointCount, type ReplayState } from './replayTimeline';

interface Props {
  readonly strokes: readonly StoredStroke[];
  /** The player's canvas: the replay shows the drawing exactly where it was drawn. */
  readonly canvas: { readonly width: number; readonly height: number };
}

const SPEEDS = [0.5, 1, 2, 4] as const;

/**
 * A stored drawing drawn again stroke by stroke at its recorded pace (each point's `t`), with
 * play / pause / restart and speed. It draws through the client's CanvasLayer and drawStroke,
 * so it looks exactly like /play; a frame is redrawn only when a new point became visible.
 * With reduced motion the whole drawing shows at once until Play is pressed.
 */
export function ReplayCanvas({ strokes, canvas }: Props) {
  const id = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const progressRef = useRef<HTMLProgressElement>(null);
  const layerRef = useRef<CanvasLayer | null>(null);
  const drawnRef = useRef(-1);
  const frameRef = useRef<number | null>(null);
  const duration = useMemo(() => replayDuration(strokes), [strokes]);
  const clock = useMemo(() => new ReplayClock(duration), [duration, strokes]);
  const [state, setState] = useState<ReplayState>('paused');
  const [speed, setSpeed] = useState<number>(1);

  const render = useCallback(
    (now: number) => {
      const layer = layerRef.current;
      const elapsed = clock.elapsed(now);
      const count = visiblePointCount(strokes, elapsed);
      if (layer && count !== drawnRef.current) {
        layer.clear();
        layer.draw(strokesAt(strokes, elapsed), { logical: canvas });
        drawnRef.current = count;
      }
      if (progressRef.current) progressRef.current.value = elapsed;
    },
    [clock, strokes, canvas],
  );

  const loop = useCallback(() => {
    if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
    const tick = () => {
      const now = performance.now();
      clock.settle(now);
      render(now);
      setState(clock.state(now));
      frameRef.current = clock.isRunning ? requestAnimationFrame(tick) : null;
    };
    tick();
  }, [clock, render]);

  // A new drawing: start playing (or show it whole under reduced motion).
  useEffect(() => {
    drawnRef.current = -1;
    if (prefersReducedMotion()) clock.finish();
    else clock.play(performance.now());
    loop();
    return () => {
      if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
      frameRef.current = null;
    };
  }, [clock, loop]);

  // Match the backing store to the element's size (and the screen's pixel density).
  useEffect(() => {
    const el = canvasRef.current;
    const box = boxRef.current;
    if (!el || !box) return;
    const layer = new CanvasLayer(el);
    layerRef.current = layer;
    const fit = () => {
      const rect = box.getBoundingClientRect();
      layer.resize({ width: rect.width, height: rect.height }, window.devicePixelRatio || 1);
      drawnRef.current = -1;
      render(performance.now());
    };
    fit();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(fit);
    observer.observe(box);
    return () => observer.disconnect();
  }, [render]);

  const toggle = () => {
    const now = performance.now();
    if (clock.isRunning) clock.pause(now);
    else clock.play(now);
    loop();
  };
  const restart = () => {
    clock.restart(performance.now());
    drawnRef.current = -1;
    loop();
  };
  const changeSpeed = (s: number) => {
    setSpeed(s);
    clock.setSpeed(s, performance.now());
  };

  const ratio = canvas.width > 0 && canvas.height > 0 ? `${canvas.width} / ${canvas.height}` : '1 / 1';
  return (
    <div className="replay" data-testid="detail-replay" data-state={state} data-duration={Math.round(duration)}>
      <div ref={boxRef} className="replay-canvas" style={{ aspectRatio: ratio }}>
        <canvas ref={canvasRef} role="img" aria-label={`Replay of the drawing, ${strokes.length} strokes over ${formatDuration(duration)}`} />
      </div>
      <progress ref={progressRef} className="replay-progress" max={Math.max(duration, 1)} value={0} aria-label="Replay position" />
      <div className="replay-controls">
        <button type="button" className="btn btn-small" onClick={toggle} data-testid="replay-toggle" aria-pressed={state === 'playing'}>
          {state === 'playing' ? 'Pause' : state === 'done' ? 'Play again' : 'Play'}
        </button>
        <button type="button" className="btn btn-small" onClick={restart} data-testid="replay-restart">
          Restart
        </button>
        <label htmlFor={`${id}-speed`} className="muted small">
          Speed
        </label>
        <select id={`${id}-speed`} value={speed} onChange={(e) => changeSpeed(Number(e.target.value))} data-testid="replay-speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
        <span className="muted small tabular">{formatDuration(duration)}</span>
      </div>
    </div>
  );
}
