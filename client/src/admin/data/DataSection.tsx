import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { navigate, useSearch } from '../../app/router';
import { useAdmin } from '../adminContext';
import { isAbort } from '../api/adminClient';
import { listDrawings } from '../api/endpoints';
import type { DrawingRow } from '../api/types';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatCount } from '../ui/format';
import { BulkBar } from './BulkBar';
import { DetailDrawer } from './DetailDrawer';
import { DrawingCard } from './DrawingCard';
import { filterToSearch, parseFilter, type DrawingFilter } from './drawingFilter';
import { INITIAL_LIST, keepVisible, listReducer } from './drawingList';
import { FilterBar } from './FilterBar';
import './data.css';

/** Typing in a filter field waits this long before asking the server. */
const DEBOUNCE_MS = 250;
const PATH = '/admin/data';

/**
 * The data browser: filters kept in the address bar, a grid of thumbnails paged by keyset
 * ("Load more"), selection and bulk actions, and a detail drawer (its drawing id is in the
 * address too, so a drawing can be linked).
 */
export function DataSection() {
  const { client } = useAdmin();
  const search = useSearch();
  const filter = useMemo(() => parseFilter(search), [search]);
  const openId = useMemo(() => new URLSearchParams(search).get('drawing'), [search]);
  const key = filterToSearch(filter);
  const [list, dispatch] = useReducer(listReducer, INITIAL_LIST);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [more, setMore] = useState<{ readonly cursor: string } | null>(null);
  const [reloads, setReloads] = useState(0);

  const go = useCallback((next: DrawingFilter, drawing: string | null) => {
    navigate(`${PATH}${filterToSearch(next, { drawing })}`, { replace: true });
  }, []);

  // First page whenever the filter changes (debounced), or after a bulk action.
  useEffect(() => {
    const ac = new AbortController();
    dispatch({ type: 'load', key });
    setMore(null);
    const timer = setTimeout(() => {
      listDrawings(client, filter, null, ac.signal).then(
        (page) => dispatch({ type: 'loaded', key, page, append: false }),
        (err: unknown) => {
          if (!isAbort(err)) dispatch({ type: 'failed', key, error: err as Error });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
    // `filter` is derived from `key`; depending on the string avoids refetching on equal objects.
  }, [client, key, reloads]);

  // The next page, when "Load more" asked (a new object each click, so a retry refetches).
  useEffect(() => {
    if (!more) return;
    const { cursor } = more;
    const ac = new AbortController();
    dispatch({ type: 'more' });
    listDrawings(client, filter, cursor, ac.signal).then(
      (page) => dispatch({ type: 'loaded', key, page, append: true }),
      (err: unknown) => {
        if (!isAbort(err)) dispatch({ type: 'failed', key, error: err as Error });
      },
    );
    return () => ac.abort();
  }, [more]);

  useEffect(() => setSelected((s) => keepVisible(s, list.items)), [list.items]);

  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const allSelected = list.items.length > 0 && list.items.every((r) => selected.has(r.id));
  const open = useCallback((id: string | null) => go(filter, id), [go, filter]);
  const patch = useCallback((id: string, p: Partial<DrawingRow>) => dispatch({ type: 'patch', id, patch: p }), []);
  const busy = list.status === 'loading';

  return (
    <section className="admin-section" aria-labelledby="data-title" data-testid="data-browser">
      <div className="section-head">
        <h2 id="data-title">Data</h2>
      </div>
      <FilterBar filter={filter} onChange={(f) => go(f, openId)} />
      <BulkBar
        filter={filter}
        selected={[...selected]}
        onDone={() => {
          setSelected(new Set());
          setReloads((n) => n + 1);
        }}
      />
      <div className="list-head">
        <label className="check">
          <input
            type="checkbox"
            checked={allSelected}
            disabled={list.items.length === 0}
            onChange={(e) => setSelected(e.target.checked ? new Set(list.items.map((r) => r.id)) : new Set())}
            data-testid="select-all"
          />
          Select all shown
        </label>
        <span className="muted small" role="status" data-testid="result-count" data-count={list.items.length}>
          {busy ? 'Loading…' : `${formatCount(list.items.length)} shown${list.nextCursor ? ', more available' : ''}`}
        </span>
      </div>
      {list.error ? <ErrorNotice error={list.error} onRetry={() => setReloads((n) => n + 1)} /> : null}
      {list.items.length === 0 && list.status === 'ready' ? (
        <p className="empty-state" data-testid="no-results">
          No drawing matches these filters.
        </p>
      ) : null}
      <ul className={`drawing-grid${busy ? ' is-stale' : ''}`} aria-busy={busy} data-testid="drawing-grid">
        {list.items.map((row) => (
          <DrawingCard key={row.id} row={row} selected={selected.has(row.id)} onSelect={toggle} onOpen={open} />
        ))}
      </ul>
      <div className="load-more">
        {list.nextCursor ? (
          <button
            type="button"
            className="btn"
            onClick={() => list.nextCursor && setMore({ cursor: list.nextCursor })}
            disabled={list.status === 'loading' || list.status === 'more'}
            data-testid="load-more"
          >
            {list.status === 'more' ? <span className="spinner" aria-hidden="true" /> : null}
            Load more
          </button>
        ) : list.status === 'ready' && list.items.length > 0 ? (
          <p className="muted small" data-testid="list-end">
            That is every matching drawing.
          </p>
        ) : null}
      </div>
      <DetailDrawer id={openId} onClose={() => open(null)} onChanged={patch} />
    </section>
  );
}
