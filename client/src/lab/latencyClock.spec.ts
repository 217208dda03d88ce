import { describe, expect, it } from 'vitest';
import { LatencyClock } from './latencyClock';

describe('LatencyClock', () => {
  it('measures from the update a prediction names and forgets the ones it covered', () => {
    const clock = new LatencyClock();
    clock.sent(1, 100);
    clock.sent(2, 110);
    clock.sent(3, 120);
    expect(clock.answered(2, 125)).toBe(15);
    expect(clock.answered(1, 130)).toBeNull(); // covered by the answer to 2
    expect(clock.answered(3, 131)).toBe(11);
  });

  it('starts over on reset', () => {
    const clock = new LatencyClock();
    clock.sent(1, 5);
    clock.reset();
    expect(clock.answered(1, 9)).toBeNull();
  });
});
