import { withArticle } from '../game/shapes';
import { Leaderboard } from './Leaderboard';
import { LiveTile } from './LiveTile';
import { useLiveFeed } from './useLiveFeed';

export function WatchPage() {
  const { state, tiles, connection, lastDone } = useLiveFeed();
  const drawing = [...state.lives.values()].filter((v) => v.status === 'drawing').length;
  const live = connection === 'open' && state.synced;
  return (
    <main id="main" className="page watch" tabIndex={-1}>
      <div className="watch-header">
        <h1>Watch live</h1>
        <p className="watch-meta">
          <span className={`pill ${live ? 'pill-online' : 'pill-offline'}`} data-testid="watch-connection" data-state={live ? 'live' : connection}>
            <span className="dot" aria-hidden="true" />
            {live ? 'Live' : connection === 'connecting' || connection === 'open' ? 'Connecting…' : 'Reconnecting…'}
          </span>
          <span data-testid="live-count" data-count={drawing}>
            {drawing === 1 ? '1 person drawing' : `${drawing} people drawing`}
          </span>
        </p>
      </div>
      <div className="watch-layout">
        <section aria-labelledby="live-heading" className="live">
          <h2 id="live-heading" className="sr-only">
            Drawings in progress
          </h2>
          <ul className="tiles" data-testid="live-tiles">
            {tiles.map((id, i) => (
              <LiveTile key={i} index={i} view={id ? (state.lives.get(id) ?? null) : null} />
            ))}
          </ul>
        </section>
        <section aria-labelledby="boards-heading" className="boards">
          <h2 id="boards-heading">Leaderboards</h2>
          <Leaderboard id="today" title="Today" unit="drawings" entries={state.leaderboards.today} empty="No drawings yet today." />
          <Leaderboard id="all" title="All time" unit="drawings" entries={state.leaderboards.all} empty="No drawings yet." />
          <Leaderboard id="streak" title="Best streak" unit="in a row" entries={state.leaderboards.streak} empty="No streaks yet." />
        </section>
      </div>
      <p className="sr-only" aria-live="polite" data-testid="watch-announcement">
        {lastDone ? `${lastDone.nickname} finished ${withArticle(lastDone.shape)}.` : ''}
      </p>
    </main>
  );
}
