import type { ReactNode } from 'react';

export interface Column {
  readonly label: string;
  /** Named for screen readers only (a column of checkboxes or action buttons). */
  readonly hidden?: boolean;
}

interface Props {
  readonly columns: readonly Column[];
  readonly testId: string;
  readonly busy: boolean;
  /** The one row shown instead of rows ("Loading…", "No jobs yet."); null when there are rows. */
  readonly empty: string | null;
  /** The rows, one `<tr>` each. */
  readonly children: ReactNode;
}

/**
 * A list page's table (jobs, model versions): horizontally scrollable on narrow screens, its
 * header from `columns`, and an explanatory row spanning every column while it has no rows.
 */
export function DataTable({ columns, testId, busy, empty, children }: Props) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid={testId} aria-busy={busy}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {empty !== null ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty}
              </td>
            </tr>
          ) : null}
          {children}
        </tbody>
      </table>
    </div>
  );
}
