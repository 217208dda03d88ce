import type { ModelInfo, Ranked } from './classifyProtocol';
import { barsOf } from './labState';

export interface ProbabilityBarsProps {
  readonly model: ModelInfo | null;
  readonly predictions: Ranked;
}

/**
 * One bar per class in the model's order, so the bars grow and shrink in place as the drawing
 * changes instead of reshuffling; the leading class is highlighted.
 */
export function ProbabilityBars({ model, predictions }: ProbabilityBarsProps) {
  const bars = barsOf(model, predictions);
  const top = predictions[0]?.[0];
  return (
    <ol className="lab-bars" aria-label="Probability of each shape" data-testid="lab-bars">
      {bars.map(({ shape, p }) => {
        const pct = Math.round(p * 1000) / 10;
        return (
          <li key={shape} className={`lab-bar ${shape === top ? 'is-top' : ''}`} data-shape={shape} data-p={p.toFixed(4)}>
            <span className="lab-bar-name">{shape}</span>
            <span className="lab-bar-track" aria-hidden="true">
              <span className="lab-bar-fill" style={{ transform: `scaleX(${p})` }} />
            </span>
            <span className="lab-bar-value">{pct.toFixed(1)}%</span>
          </li>
        );
      })}
    </ol>
  );
}
