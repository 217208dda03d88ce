/**
 * Achievements: the whole rule set, in one place. Each is a pure test over facts the client
 * knows after an ack (the server's totals and streak, and which shapes this browser has drawn).
 * Once unlocked, an achievement stays unlocked (kept in localStorage by the caller).
 */

import { SHAPE_NAMES } from './shapes';

export interface AchievementFacts {
  /** Accepted drawings, all time (server `stats.total`). */
  readonly total: number;
  /** Consecutive accepted drawings (server `streak.current`). */
  readonly streak: number;
  /** Consecutive days with a drawing (server `streak.days`). */
  readonly days: number;
  /** Shape names this player has had accepted. */
  readonly shapesDrawn: ReadonlySet<string>;
}

export interface Achievement {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly badge: string;
  readonly unlocked: (facts: AchievementFacts) => boolean;
}

export const ACHIEVEMENTS: readonly Achievement[] = [
  {
    id: 'first-drawing',
    title: 'First stroke',
    description: 'Your first drawing was accepted.',
    badge: '✏️',
    unlocked: (f) => f.total >= 1,
  },
  {
    id: 'ten-drawings',
    title: 'Sketchbook',
    description: '10 drawings accepted.',
    badge: '📒',
    unlocked: (f) => f.total >= 10,
  },
  {
    id: 'fifty-drawings',
    title: 'Prolific',
    description: '50 drawings accepted.',
    badge: '🏅',
    unlocked: (f) => f.total >= 50,
  },
  {
    id: 'streak-5',
    title: 'On a roll',
    description: 'A streak of 5 drawings.',
    badge: '🔥',
    unlocked: (f) => f.streak >= 5,
  },
  {
    id: 'all-shapes',
    title: 'Full set',
    description: 'Drew every one of the five shapes.',
    badge: '🎨',
    unlocked: (f) => SHAPE_NAMES.every((s) => f.shapesDrawn.has(s)),
  },
  {
    id: 'three-days',
    title: 'Regular',
    description: 'Drew on 3 days in a row.',
    badge: '📅',
    unlocked: (f) => f.days >= 3,
  },
];

/** Ids of every achievement the facts satisfy. */
export function unlockedIds(facts: AchievementFacts): string[] {
  return ACHIEVEMENTS.filter((a) => a.unlocked(facts)).map((a) => a.id);
}

/** Achievements the facts satisfy that were not unlocked before: the ones to celebrate now. */
export function newlyUnlocked(before: ReadonlySet<string>, facts: AchievementFacts): Achievement[] {
  return ACHIEVEMENTS.filter((a) => !before.has(a.id) && a.unlocked(facts));
}
