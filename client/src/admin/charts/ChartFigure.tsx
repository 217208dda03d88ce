import { useId, type ReactNode } from 'react';

interface Props {
  readonly title: string;
  readonly testId: string;
  /** A one-line summary read by screen readers in place of the canvas. */
  readonly summary: string;
  /** Column headings and rows of the same data, as a table for screen readers. */
  readonly table: { readonly columns: readonly string[]; readonly rows: readonly (readonly (string | number)[])[] };
  readonly height?: number;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
  /** Shown over the chart area when there is nothing to draw yet. */
  readonly empty?: string | null;
}

/**
 * A chart card: a heading, a canvas of fixed height (the page does not move when data comes),
 * and the same numbers as a visually hidden table, since a canvas says nothing to a screen
 * reader.
 */
export function ChartFigure({ title, testId, summary, table, height = 220, actions, children, empty }: Props) {
  const id = useId();
  return (
    <figure className="chart card" data-testid={testId} aria-labelledby={`${id}-title`}>
      <figcaption className="chart-head">
        <h3 id={`${id}-title`}>{title}</h3>
        {actions}
      </figcaption>
      <div className="chart-box" style={{ height }} role="img" aria-label={summary}>
        {children}
        {empty ? <p className="chart-empty">{empty}</p> : null}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
