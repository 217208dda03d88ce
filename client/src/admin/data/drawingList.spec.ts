import { describe, expect, it } from 'vitest';
import type { DrawingRow } from '../api/types';
import { INITIAL_LIST, keepVisible, listReducer, type ListState } from './drawingList';

const row = (id: string, extra: Partial<DrawingRow> = {}): DrawingRow => ({
  id,
  shape: 'circle',
  createdAt: '2026-01-01T00:00:00Z',
  quality: 0.9,
  flagged: false,
  flagReason: null,
  deleted: false,
  device: 'mouse',
  synthetic: false,
  sessionId: 's',
  strokeCount: 1,
  pointCount: 10,
  durationMs: 900,
  ...extra,
});

describe('listReducer', () => {
  it('replaces rows for a new filter and appends the next keyset page', () => {
    let s: ListState = listReducer(INITIAL_LIST, { type: 'load', key: '?shape=circle' });
    s = listReducer(s, { type: 'loaded', key: '?shape=circle', page: { items: [row('a'), row('b')], nextCursor: 'c1' }, append: false });
    expect(s).toMatchObject({ status: 'ready', nextCursor: 'c1' });
    s = listReducer(s, { type: 'more' });
    expect(s.status).toBe('more');
    s = listReducer(s, { type: 'loaded', key: '?shape=circle', page: { items: [row('b'), row('c')], nextCursor: null }, append: true });
    expect(s.items.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(s.nextCursor).toBeNull();
  });

  it('ignores an answer for a filter that was replaced meanwhile', () => {
    let s = listReducer(INITIAL_LIST, { type: 'load', key: '?a' });
    s = listReducer(s, { type: 'load', key: '?b' });
    const after = listReducer(s, { type: 'loaded', key: '?a', page: { items: [row('x')], nextCursor: null }, append: false });
    expect(after).toBe(s);
    expect(listReducer(s, { type: 'failed', key: '?a', error: new Error('x') })).toBe(s);
  });

  it('patches one row in place', () => {
    let s = listReducer(INITIAL_LIST, { type: 'load', key: '' });
    s = listReducer(s, { type: 'loaded', key: '', page: { items: [row('a'), row('b')], nextCursor: null }, append: false });
    s = listReducer(s, { type: 'patch', id: 'b', patch: { flagged: true, flagReason: 'scribble' } });
    expect(s.items[1]).toMatchObject({ id: 'b', flagged: true, flagReason: 'scribble' });
    expect(s.items[0]!.flagged).toBe(false);
  });

  it('keeps only the selected ids still on screen', () => {
    expect([...keepVisible(new Set(['a', 'z']), [row('a'), row('b')])]).toEqual(['a']);
  });
});
