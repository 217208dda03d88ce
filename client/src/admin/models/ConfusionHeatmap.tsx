import { useId } from 'react';
import { formatPercent } from '../ui/format';
import { heatCells, heatColor } from './confusion';

interface Props {
  readonly title: string;
  readonly classes: readonly string[];
  readonly matrix: readonly (readonly number[])[];
  readonly testId: string;
}

/**
 * A confusion matrix as a heat-coloured table: rows are the true shape, columns the predicted
 * one, each cell its count and its share of the row. A real table, so screen readers and
 * keyboard users get every number with its row and column headers.
 */
export function ConfusionHeatmap({ title, classes, matrix, testId }: Props) {
  const id = useId();
  const cells = heatCells(matrix);
  const size = Math.max(classes.length, cells.length);
  const name = (i: number) => classes[i] ?? `class ${i + 1}`;
  if (cells.length === 0) {
    return (
      <figure className="heatmap" data-testid={testId}>
        <figcaption>{title}</figcaption>
        <p className="muted small">No confusion matrix recorded.</p>
      </figure>
    );
  }
  return (
    <figure className="heatmap" data-testid={testId} aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <div className="table-scroll">
        <table className="heatmap-table">
          <thead>
            <tr>
              <th scope="col" className="corner">
                <span className="muted small">true ↓ / predicted →</span>
              </th>
              {Array.from({ length: size }, (_, j) => (
                <th key={j} scope="col">
                  {name(j)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: size }, (_, i) => (
              <tr key={i}>
                <th scope="row">{name(i)}</th>
                {Array.from({ length: size }, (_, j) => {
                  const cell = cells[i]?.[j] ?? { count: 0, share: 0, diagonal: i === j };
                  const { background, color } = heatColor(cell);
                  return (
                    <td key={j} style={{ background, color }} className={cell.diagonal ? 'is-diagonal' : undefined} title={`true ${name(i)}, predicted ${name(j)}: ${cell.count} (${formatPercent(cell.share)} of ${name(i)})`} data-share={cell.share.toFixed(3)}>
                      <span className="tabular">{cell.count}</span>
                      <span className="cell-share">{formatPercent(cell.share, 0)}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
