import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AdminClient } from './api/adminClient';
import type { AdminFeed, FeedSnapshot } from './feed/adminFeed';

/** What every admin view needs once signed in: the API client and the live feed. */
export interface AdminContextValue {
  readonly client: AdminClient;
  readonly feed: AdminFeed;
  readonly email: string;
}

export const AdminContext = createContext<AdminContextValue | null>(null);

export function useAdmin(): AdminContextValue {
  const value = useContext(AdminContext);
  if (!value) throw new Error('useAdmin outside the signed-in admin shell');
  return value;
}

/** The feed's current snapshot; re-renders on every folded frame. */
export function useFeed(): FeedSnapshot {
  const { feed } = useAdmin();
  return useSyncExternalStore(feed.subscribe, feed.getSnapshot, feed.getSnapshot);
}
