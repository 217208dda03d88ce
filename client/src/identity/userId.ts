import { localStore, type KeyValue } from './localState';
import { uuid } from './uuid';

const USER_KEY = 'drawstream.user';

/**
 * The browser's stable anonymous id, sent as `hello.user` so streaks and totals follow the
 * player across sessions. No personal data: a random UUID made on the first visit.
 *
 * The `user` in `welcome` is the server's id derived from this one; it is not sent back (the
 * server would derive a new id from it), so this value never changes.
 */
export function anonymousUserId(store: KeyValue = localStore()): string {
  const existing = store.getItem(USER_KEY);
  if (existing) return existing;
  const id = uuid();
  try {
    store.setItem(USER_KEY, id);
  } catch {
    // Can't persist: this visit gets a fresh identity, which only costs the streak.
  }
  return id;
}
