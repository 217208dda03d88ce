import { EMPTY_PROGRESS, utcDay, onDay, type Progress } from '../game/progress';
import { localStore, readJson, sessionStore, writeJson } from '../identity/localState';

const TODAY_KEY = 'drawstream.progress';
const SESSION_KEY = 'drawstream.progress.session';
const UNLOCKED_KEY = 'drawstream.achievements';

/**
 * Progress lives in two stores: today's counts and the shapes ever drawn in localStorage (they
 * outlast the tab), this session's counts in sessionStorage (they end with it).
 */
export function loadProgress(now: Date = new Date()): Progress {
  const lasting = readJson<Pick<Progress, 'day' | 'today' | 'shapesDrawn'>>(localStore(), TODAY_KEY, EMPTY_PROGRESS);
  const session = readJson<Progress['session']>(sessionStore(), SESSION_KEY, {});
  return onDay(
    {
      day: typeof lasting.day === 'string' ? lasting.day : '',
      today: lasting.today ?? {},
      shapesDrawn: Array.isArray(lasting.shapesDrawn) ? lasting.shapesDrawn : [],
      session,
    },
    utcDay(now),
  );
}

export function saveProgress(p: Progress): void {
  writeJson(localStore(), TODAY_KEY, { day: p.day, today: p.today, shapesDrawn: p.shapesDrawn });
  writeJson(sessionStore(), SESSION_KEY, p.session);
}

export function loadUnlocked(): string[] {
  const ids = readJson<unknown>(localStore(), UNLOCKED_KEY, []);
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

export function saveUnlocked(ids: readonly string[]): void {
  writeJson(localStore(), UNLOCKED_KEY, ids);
}
