import { useEffect, useState, useSyncExternalStore } from 'react';
import { socketUrl } from '../net/socket';
import { LiveStore, type LiveSnapshot } from './liveStore';

export const TILE_COUNT = 6;

/** Connects to /ws/watch while the component is mounted. */
export function useLiveFeed(tiles = TILE_COUNT): LiveSnapshot {
  const [store] = useState(() => new LiveStore({ url: socketUrl('/ws/watch', window.location), tiles }));
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
