/**
 * The data browser's loaded rows as a reducer: a page replaces them when the filter changed,
 * "Load more" appends the next keyset page (rows already shown are not repeated), and a
 * single-drawing action patches its row in place.
 */

import type { DrawingPage, DrawingRow } from '../api/types';

export interface ListState {
  /** The filter's query string the rows belong to. */
  readonly key: string;
  readonly items: readonly DrawingRow[];
  readonly nextCursor: string | null;
  readonly status: 'loading' | 'ready' | 'more' | 'error';
  readonly error: Error | null;
}

export type ListAction =
  | { readonly type: 'load'; readonly key: string }
  | { readonly type: 'more' }
  | { readonly type: 'loaded'; readonly key: string; readonly page: DrawingPage; readonly append: boolean }
  | { readonly type: 'failed'; readonly key: string; readonly error: Error }
  | { readonly type: 'patch'; readonly id: string; readonly patch: Partial<DrawingRow> };

export const INITIAL_LIST: ListState = { key: '', items: [], nextCursor: null, status: 'loading', error: null };

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'load':
      // Rows of another filter stay visible (dimmed) until the new page arrives: no jump.
      return { ...state, key: action.key, status: 'loading', error: null };
    case 'more':
      return state.nextCursor ? { ...state, status: 'more', error: null } : state;
    case 'loaded': {
      if (action.key !== state.key) return state; // an answer for a filter since replaced
      const items = action.append ? appendNew(state.items, action.page.items) : [...action.page.items];
      return { key: state.key, items, nextCursor: action.page.nextCursor ?? null, status: 'ready', error: null };
    }
    case 'failed':
      return action.key === state.key ? { ...state, status: 'error', error: action.error } : state;
    case 'patch':
      return {
        ...state,
        items: state.items.map((row) => (row.id === action.id ? { ...row, ...action.patch, id: row.id } : row)),
      };
  }
}

function appendNew(items: readonly DrawingRow[], more: readonly DrawingRow[]): DrawingRow[] {
  const seen = new Set(items.map((r) => r.id));
  return [...items, ...more.filter((r) => !seen.has(r.id))];
}

/** After a bulk action or filter change, which selected ids are still on screen. */
export function keepVisible(selected: ReadonlySet<string>, items: readonly DrawingRow[]): Set<string> {
  const visible = new Set(items.map((r) => r.id));
  return new Set([...selected].filter((id) => visible.has(id)));
}
