/**
 * The shape catalogue as the client shows it (game/shapes.py holds the authority; prompts come
 * from the server). Ids are stable across the whole system.
 */
export interface ShapeInfo {
  readonly id: number;
  readonly name: string;
  readonly emoji: string;
}

export const SHAPES: readonly ShapeInfo[] = [
  { id: 1, name: 'line', emoji: '╱' },
  { id: 2, name: 'circle', emoji: '◯' },
  { id: 3, name: 'square', emoji: '□' },
  { id: 4, name: 'triangle', emoji: '△' },
  { id: 5, name: 'heart', emoji: '♡' },
];

export const SHAPE_NAMES: readonly string[] = SHAPES.map((s) => s.name);

/** "a heart", "an ..." — every shape name starts with a consonant today, but be correct. */
export function withArticle(name: string): string {
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}
