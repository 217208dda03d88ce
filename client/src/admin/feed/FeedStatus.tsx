import { useFeed } from '../adminContext';

const LABELS = { open: 'Live', connecting: 'Connecting', waiting: 'Reconnecting', stopped: 'Offline' } as const;
const PILLS = { open: 'pill-online', connecting: 'pill-connecting', waiting: 'pill-offline', stopped: 'pill-offline' } as const;

/** The monitoring socket's state, in the header of every admin page. */
export function FeedStatus() {
  const { connection } = useFeed();
  return (
    <span className={`pill ${PILLS[connection]}`} data-testid="admin-feed-status" data-state={connection} title="Live monitoring feed (/ws/admin)">
      <span className="dot" aria-hidden="true" />
      <span className="sr-only">Live feed: </span>
      {LABELS[connection]}
    </span>
  );
}
