import { describe, expect, it } from 'vitest';
import { deviceOf, pressureOf } from './pointerInput';

describe('deviceOf', () => {
  it('maps pointer types to protocol devices', () => {
    expect(deviceOf('mouse')).toBe('mouse');
    expect(deviceOf('touch')).toBe('touch');
    expect(deviceOf('pen')).toBe('pen');
    expect(deviceOf('')).toBe('mouse');
    expect(deviceOf('kinect')).toBe('mouse');
  });
});

describe('pressureOf', () => {
  it('records the mouse at 0.5 whatever the browser reports', () => {
    expect(pressureOf('mouse', 0)).toBe(0.5);
    expect(pressureOf('mouse', 1)).toBe(0.5);
  });

  it('reads 0 from a touch screen as unknown pressure', () => {
    expect(pressureOf('touch', 0)).toBe(0.5);
    expect(pressureOf('touch', 0.8)).toBe(0.8);
  });

  it('keeps a pen\u2019s pressure, clamped', () => {
    expect(pressureOf('pen', 0.12)).toBe(0.12);
    expect(pressureOf('pen', 0)).toBe(0);
    expect(pressureOf('pen', 1.4)).toBe(1);
    expect(pressureOf('pen', Number.NaN)).toBe(0.5);
  });
});
