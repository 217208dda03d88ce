import { describe, expect, it } from 'vitest';
import { formatAgo, formatCount, formatDeltaPoints, formatDuration, formatPercent, utcDay } from './format';

describe('format', () => {
  it('writes counts, shares and changes', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('–');
    expect(formatPercent(0.9734)).toBe('97.3%');
    expect(formatDeltaPoints(0.012)).toBe('+1.2 pp');
    expect(formatDeltaPoints(-0.2)).toBe('−20.0 pp');
    expect(formatDeltaPoints(0)).toBe('±0.0 pp');
  });

  it('writes durations at a useful precision', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(2_500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(7_380_000)).toBe('2 h 3 min');
  });

  it('writes ages and UTC days', () => {
    expect(formatAgo(500)).toBe('just now');
    expect(formatAgo(12_000)).toBe('12 s ago');
    expect(formatAgo(null)).toBe('never');
    expect(utcDay(Date.parse('2026-03-01T23:30:00Z'))).toBe('2026-03-01');
  });
});
