import { describe, expect, it } from 'vitest';
import { pointsDrawnBy, ReplayClock, replayDuration, strokesAt, visiblePointCount } from './replayTimeline';

const strokes = [
  { x: [0, 1, 2], y: [0, 1, 2], p: [0.5, 0.5, 0.5], t: [0, 100, 200], color: '#f00', width: 3 },
  // A pause of 300 ms between strokes, as the player made it.
  { x: [5, 6], y: [5, 6], p: [0.5, 0.5], t: [500, 650] },
];

describe('replay timeline', () => {
  it('lasts until the last point was drawn', () => {
    expect(replayDuration(strokes)).toBe(650);
    expect(replayDuration([])).toBe(0);
  });

  it('counts the points drawn by a moment (binary search, inclusive)', () => {
    expect(pointsDrawnBy([0, 100, 200], -1)).toBe(0);
    expect(pointsDrawnBy([0, 100, 200], 0)).toBe(1);
    expect(pointsDrawnBy([0, 100, 200], 150)).toBe(2);
    expect(pointsDrawnBy([0, 100, 200], 200)).toBe(3);
  });

  it('shows finished strokes whole, the current one cut, later ones not at all', () => {
    const at150 = strokesAt(strokes, 150);
    expect(at150).toHaveLength(1);
    expect(Array.from(at150[0]!.x)).toEqual([0, 1]);
    expect(at150[0]!.color).toBe('#f00');
    expect(at150[0]!.width).toBe(3);
    // During the pause: the first stroke only, complete.
    expect(Array.from(strokesAt(strokes, 400)[0]!.x)).toEqual([0, 1, 2]);
    expect(strokesAt(strokes, 400)).toHaveLength(1);
    const at600 = strokesAt(strokes, 600);
    expect(at600.map((s) => s.x.length)).toEqual([3, 1]);
    expect(visiblePointCount(strokes, 600)).toBe(4);
    expect(visiblePointCount(strokes, 10_000)).toBe(5);
  });

  it('works on typed arrays as decoded from the wire', () => {
    const typed = [{ x: new Float32Array([1, 2, 3]), y: new Float32Array([1, 2, 3]), p: new Float32Array([0.5, 0.5, 0.5]), t: new Uint32Array([0, 10, 20]) }];
    expect(Array.from(strokesAt(typed, 10)[0]!.y)).toEqual([1, 2]);
  });
});

describe('ReplayClock', () => {
  it('plays at the recorded pace and stops at the end', () => {
    const clock = new ReplayClock(650);
    clock.play(1000);
    expect(clock.elapsed(1100)).toBe(100);
    expect(clock.state(1100)).toBe('playing');
    expect(clock.elapsed(5000)).toBe(650);
    expect(clock.state(5000)).toBe('done');
    clock.settle(5000);
    expect(clock.isRunning).toBe(false);
  });

  it('pauses where it was and resumes from there', () => {
    const clock = new ReplayClock(650);
    clock.play(0);
    clock.pause(300);
    expect(clock.state(900)).toBe('paused');
    expect(clock.elapsed(900)).toBe(300);
    clock.play(1000);
    expect(clock.elapsed(1100)).toBe(400);
  });

  it('restarts from zero, and Play after the end starts again', () => {
    const clock = new ReplayClock(650);
    clock.play(0);
    clock.settle(700);
    clock.play(2000);
    expect(clock.elapsed(2000)).toBe(0);
    clock.restart(3000);
    expect(clock.elapsed(3050)).toBe(50);
  });

  it('scales time by its speed without jumping', () => {
    const clock = new ReplayClock(1000);
    clock.play(0);
    clock.setSpeed(2, 100);
    expect(clock.elapsed(100)).toBe(100);
    expect(clock.elapsed(200)).toBe(300);
  });

  it('can show the whole drawing at once (reduced motion)', () => {
    const clock = new ReplayClock(650);
    clock.finish();
    expect(clock.elapsed(0)).toBe(650);
    expect(clock.state(0)).toBe('done');
  });
});
