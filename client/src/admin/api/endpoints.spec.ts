import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER } from '../data/drawingFilter';
import { bulkBody } from './endpoints';

describe('bulkBody', () => {
  it('sends the selection as ids', () => {
    expect(bulkBody({ action: 'flag', target: { ids: ['a', 'b'] }, reason: 'scribble' })).toEqual({ action: 'flag', ids: ['a', 'b'], reason: 'scribble' });
  });

  it('sends a whole filter with its typed values', () => {
    expect(bulkBody({ action: 'quality', target: { filter: { ...EMPTY_FILTER, shape: 'line', flagged: false } }, quality: 0.2 })).toEqual({
      action: 'quality',
      filter: { shape: 'line', flagged: false, deleted: false },
      quality: 0.2,
    });
  });

  it('sends a reason only with a flag', () => {
    expect(bulkBody({ action: 'delete', target: { ids: ['a'] }, reason: 'x' })).toEqual({ action: 'delete', ids: ['a'] });
  });
});
