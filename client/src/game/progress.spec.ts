import { describe, expect, it } from 'vitest';
import { EMPTY_PROGRESS, utcDay, onDay, recordAccepted, sumCounts } from './progress';

describe('progress', () => {
  it('counts accepted drawings per shape for the session and the day', () => {
    let p = recordAccepted(EMPTY_PROGRESS, 'heart', '2026-01-02');
    p = recordAccepted(p, 'heart', '2026-01-02');
    p = recordAccepted(p, 'line', '2026-01-02');
    expect(p.session).toEqual({ heart: 2, line: 1 });
    expect(p.today).toEqual({ heart: 2, line: 1 });
    expect(p.shapesDrawn).toEqual(['heart', 'line']);
    expect(sumCounts(p.today)).toBe(3);
  });

  it('starts a new day at midnight but keeps the session and the shapes drawn', () => {
    let p = recordAccepted(EMPTY_PROGRESS, 'heart', '2026-01-02');
    p = recordAccepted(p, 'circle', '2026-01-03');
    expect(p.today).toEqual({ circle: 1 });
    expect(p.session).toEqual({ heart: 1, circle: 1 });
    expect(p.shapesDrawn).toEqual(['heart', 'circle']);
  });

  it('resets today when reopened on a later day', () => {
    const p = recordAccepted(EMPTY_PROGRESS, 'heart', '2026-01-02');
    expect(onDay(p, '2026-01-02')).toBe(p);
    expect(onDay(p, '2026-01-05').today).toEqual({});
  });

  it('counts days in UTC, as the server does', () => {
    expect(utcDay(new Date(Date.UTC(2026, 0, 9, 23, 59)))).toBe('2026-01-09');
    expect(utcDay(new Date(Date.UTC(2026, 0, 10, 0, 0)))).toBe('2026-01-10');
  });
});
