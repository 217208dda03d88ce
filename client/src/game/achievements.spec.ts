import { describe, expect, it } from 'vitest';
import { ACHIEVEMENTS, newlyUnlocked, unlockedIds, type AchievementFacts } from './achievements';

const none: AchievementFacts = { total: 0, streak: 0, days: 0, shapesDrawn: new Set() };

describe('achievements', () => {
  it('have unique ids', () => {
    expect(new Set(ACHIEVEMENTS.map((a) => a.id)).size).toBe(ACHIEVEMENTS.length);
  });

  it('unlock nothing before the first drawing', () => {
    expect(unlockedIds(none)).toEqual([]);
  });

  it('celebrate the first accepted drawing', () => {
    expect(unlockedIds({ ...none, total: 1 })).toEqual(['first-drawing']);
  });

  it('count ten and fifty drawings', () => {
    expect(unlockedIds({ ...none, total: 9 })).not.toContain('ten-drawings');
    expect(unlockedIds({ ...none, total: 10 })).toContain('ten-drawings');
    expect(unlockedIds({ ...none, total: 50 })).toContain('fifty-drawings');
  });

  it('reward a streak of five', () => {
    expect(unlockedIds({ ...none, streak: 4 })).not.toContain('streak-5');
    expect(unlockedIds({ ...none, streak: 5 })).toContain('streak-5');
  });

  it('need all five shapes for the full set', () => {
    const four = new Set(['line', 'circle', 'square', 'triangle']);
    expect(unlockedIds({ ...none, shapesDrawn: four })).not.toContain('all-shapes');
    expect(unlockedIds({ ...none, shapesDrawn: new Set([...four, 'heart']) })).toContain('all-shapes');
  });

  it('reward three days in a row', () => {
    expect(unlockedIds({ ...none, days: 3 })).toContain('three-days');
  });

  it('announce only what was not unlocked before', () => {
    const facts = { ...none, total: 10, streak: 5 };
    const fresh = newlyUnlocked(new Set(['first-drawing']), facts).map((a) => a.id);
    expect(fresh).toEqual(['ten-drawings', 'streak-5']);
    expect(newlyUnlocked(new Set(unlockedIds(facts)), facts)).toEqual([]);
  });
});
