import type { LeaderboardEntry } from '../watchProtocol';

export interface LeaderboardProps {
  readonly id: 'today' | 'all' | 'streak';
  readonly title: string;
  readonly unit: string;
  readonly entries: readonly LeaderboardEntry[];
  readonly empty: string;
}

/** Ten rows are always laid out, so an update never changes the page's height. */
const ROWS = 10;

export function Leaderboard({ id, title, unit, entries, empty }: LeaderboardProps) {
  const headingId = `board-${id}-heading`;
  const shown = entries.slice(0, ROWS);
  return (
    <section className="board card" aria-labelledby={headingId} data-testid={`leaderboard-${id}`}>
      <h3 id={headingId}>{title}</h3>
      {shown.length === 0 ? <p className="board-empty">{empty}</p> : null}
      <ol className="board-list" style={{ minHeight: `calc(${ROWS} * var(--board-row))` }}>
        {shown.map(([nickname, score], i) => (
          <li key={`${nickname}-${i}`} data-testid="leaderboard-entry" data-nickname={nickname} data-score={score} data-rank={i + 1}>
            <span className="board-rank" aria-hidden="true">
              {i + 1}
            </span>
            <span className="board-name">{nickname}</span>
            <span className="board-score">
              {score}
              <span className="sr-only"> {unit}</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
