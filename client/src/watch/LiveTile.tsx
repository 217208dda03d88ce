import { memo, useEffect, useRef, useState } from 'react';
import { fitView } from '../geometry/fitView';
import { withArticle } from '../game/shapes';
import { CanvasLayer } from '../render/canvasLayer';
import type { Size } from '../geometry/types';
import type { LiveView } from './liveState';

/** The drawing extent that fills a tile: smaller drawings are shown at their real proportions. */
const MIN_EXTENT = 240;
const PADDING = 12;

function useTileCanvas(view: LiveView | null) {
  const ref = useRef<HTMLCanvasElement>(null);
  const layer = useRef<CanvasLayer | null>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    layer.current = new CanvasLayer(canvas);
    const ro = new ResizeObserver(() => {
      const r = canvas.getBoundingClientRect();
      setSize({ width: r.width, height: r.height });
    });
    ro.observe(canvas);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const l = layer.current;
    if (!l || size.width === 0) return;
    l.resize(size, window.devicePixelRatio || 1);
    l.clear();
    if (!view?.bounds) return;
    const t = fitView(view.bounds, size, { padding: PADDING, minExtent: MIN_EXTENT });
    // Lines keep a readable width however far the drawing is scaled down.
    l.draw(view.strokes, { view: t }, { scale: Math.max(1, 0.6 / t.scale) });
  }, [view, size]);

  return ref;
}

/** One spectator tile: a drawing replayed as its points arrive, with who is drawing what. */
export const LiveTile = memo(function LiveTile({ view, index }: { view: LiveView | null; index: number }) {
  const canvas = useTileCanvas(view);
  const state = view ? view.status : 'empty';
  const label = view
    ? `${view.nickname} ${view.status === 'done' ? 'finished' : 'is drawing'} ${withArticle(view.shape)}`
    : 'Waiting for someone to draw';
  // The state class is `is-*`, not `tile-*`: `.tile-done` and `.tile-empty` style the badge and
  // the placeholder inside a tile, and on the tile itself they pulled it out of the grid.
  return (
    <li
      className={`tile is-${state}`}
      data-testid="live-tile"
      data-index={index}
      data-state={state}
      data-live={view?.live ?? ''}
      data-nickname={view?.nickname ?? ''}
      data-shape={view?.shape ?? ''}
      data-drawing-id={view?.drawingId ?? ''}
    >
      <figure>
        <div className="tile-canvas">
          <canvas ref={canvas} role="img" aria-label={label} />
          {view?.status === 'done' ? (
            <p className="tile-done" data-testid="tile-done">
              <span aria-hidden="true">✓</span> Accepted
            </p>
          ) : null}
          {!view ? <p className="tile-empty">Waiting for someone to draw…</p> : null}
        </div>
        <figcaption>
          {view ? (
            <>
              <span className="tile-nickname">{view.nickname || 'Someone'}</span>
              <span className="tile-shape">{withArticle(view.shape || 'shape')}</span>
            </>
          ) : (
            <span className="tile-idle">Free</span>
          )}
        </figcaption>
      </figure>
    </li>
  );
});
