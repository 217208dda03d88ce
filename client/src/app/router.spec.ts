import { describe, expect, it } from 'vitest';
import { normalizePath, sectionOf } from './router';

describe('normalizePath', () => {
  it('drops trailing slashes', () => {
    expect(normalizePath('/watch/')).toBe('/watch');
    expect(normalizePath('/play')).toBe('/play');
  });

  it('keeps the root', () => {
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('')).toBe('/');
  });
});

describe('sectionOf', () => {
  it('is the first path segment', () => {
    expect(sectionOf('/admin/models/3')).toBe('/admin');
    expect(sectionOf('/watch/')).toBe('/watch');
    expect(sectionOf('/')).toBe('/');
  });
});
