import { describe, expect, it } from 'vitest';
import {
  describeFilter,
  EMPTY_FILTER,
  filterParams,
  filterToJson,
  filterToSearch,
  isEmptyFilter,
  parseFilter,
  sameFilter,
} from './drawingFilter';

describe('parseFilter', () => {
  it('reads every filter from the query string', () => {
    const f = parseFilter(
      '?shape=circle&from=2026-01-01&to=2026-01-31&qmin=0.2&qmax=0.9&flagged=true&deleted=false&device=pen&synthetic=false&session=s-1',
    );
    expect(f).toEqual({
      shape: 'circle',
      from: '2026-01-01',
      to: '2026-01-31',
      qmin: 0.2,
      qmax: 0.9,
      flagged: true,
      deleted: false,
      device: 'pen',
      synthetic: false,
      session: 's-1',
    });
  });

  it('drops what it cannot read instead of failing', () => {
    const f = parseFilter('shape=Circle!&from=yesterday&to=2026-13-45&qmin=2&qmax=abc&flagged=maybe&device=&session=%20%20');
    expect(f).toEqual(EMPTY_FILTER);
  });

  it('puts swapped bounds in order', () => {
    const f = parseFilter('qmin=0.8&qmax=0.1&from=2026-02-01&to=2026-01-01');
    expect([f.qmin, f.qmax]).toEqual([0.1, 0.8]);
    expect([f.from, f.to]).toEqual(['2026-01-01', '2026-02-01']);
  });

  it('ignores keys that are not filters (the open drawing, a cursor)', () => {
    expect(parseFilter('drawing=abc&cursor=xyz&shape=line')).toEqual({ ...EMPTY_FILTER, shape: 'line' });
  });
});

describe('filterToSearch', () => {
  it('round-trips through the address bar in one canonical order', () => {
    const search = '?session=s&flagged=false&shape=heart&qmin=0&deleted=true';
    const f = parseFilter(search);
    expect(filterToSearch(f)).toBe('?shape=heart&qmin=0&flagged=false&deleted=true&session=s');
    expect(parseFilter(filterToSearch(f))).toEqual(f);
  });

  it('is empty for the empty filter and appends extras last', () => {
    expect(filterToSearch(EMPTY_FILTER)).toBe('');
    expect(filterToSearch({ ...EMPTY_FILTER, shape: 'line' }, { drawing: 'd1', cursor: null })).toBe('?shape=line&drawing=d1');
  });

  it('gives the API the same names plus paging', () => {
    const p = filterParams({ ...EMPTY_FILTER, synthetic: true }, { limit: 48, cursor: 'c2' });
    expect(p.toString()).toBe('deleted=false&synthetic=true&limit=48&cursor=c2');
  });

  it('shows live drawings by default, which the API must be told (its default is both)', () => {
    expect(parseFilter('').deleted).toBe(false);
    expect(filterToSearch(EMPTY_FILTER)).toBe('');
    expect(filterParams(EMPTY_FILTER).toString()).toBe('deleted=false');
    const both = parseFilter('deleted=any');
    expect(both.deleted).toBeNull();
    expect(filterToSearch(both)).toBe('?deleted=any');
    expect(filterParams(both).toString()).toBe('');
    expect(filterToSearch(parseFilter('deleted=true'))).toBe('?deleted=true');
  });
});

describe('filterToJson', () => {
  it('keeps only constraining keys, typed', () => {
    expect(filterToJson({ ...EMPTY_FILTER, shape: 'square', qmax: 0.5 })).toEqual({
      shape: 'square',
      qmax: 0.5,
      deleted: false,
    });
    expect(filterToJson({ ...EMPTY_FILTER, deleted: null })).toEqual({});
  });
});

describe('describeFilter', () => {
  it('says each constraint in words', () => {
    expect(
      describeFilter({ ...EMPTY_FILTER, shape: 'circle', from: '2026-01-01', qmin: 0.3, flagged: true, synthetic: false }),
    ).toEqual(['Shape is circle', 'Made on or after 2026-01-01', 'Quality at least 0.3', 'Flagged', 'Not deleted', 'Made by players (not synthetic)']);
    expect(describeFilter(EMPTY_FILTER)).toEqual(['Not deleted']);
    expect(describeFilter({ ...EMPTY_FILTER, deleted: null })).toEqual([]);
  });

  it('tells empty and equal filters apart', () => {
    expect(isEmptyFilter(EMPTY_FILTER)).toBe(true);
    expect(isEmptyFilter({ ...EMPTY_FILTER, deleted: null })).toBe(false);
    expect(sameFilter(parseFilter('shape=line'), parseFilter('?shape=line'))).toBe(true);
  });
});
