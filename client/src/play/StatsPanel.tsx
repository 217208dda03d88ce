import { ACHIEVEMENTS } from '../game/achievements';
import { sumCounts, type Progress } from '../game/progress';
import { SHAPES } from '../game/shapes';
import type { Stats, Streak } from '../protocol';

export interface StatsPanelProps {
  readonly stats: Stats;
  readonly streak: Streak;
  readonly progress: Progress;
  readonly unlocked: readonly string[];
  readonly currentShape: string | undefined;
}

function StreakCard({ streak, stats }: { streak: Streak; stats: Stats }) {
  return (
    <dl className="stat-grid">
      <div className="stat">
        <dt>Streak</dt>
        <dd data-testid="streak-current">
          <span aria-hidden="true">🔥</span> {streak.current}
        </dd>
      </div>
      <div className="stat">
        <dt>Best streak</dt>
        <dd data-testid="streak-best">{streak.best}</dd>
      </div>
      <div className="stat">
        <dt>Days in a row</dt>
        <dd data-testid="streak-days">{streak.days}</dd>
      </div>
      <div className="stat">
        <dt>All time</dt>
        <dd data-testid="stats-total">{stats.total}</dd>
      </div>
    </dl>
  );
}

function ShapeTable({ progress, currentShape }: { progress: Progress; currentShape: string | undefined }) {
  const max = Math.max(1, ...SHAPES.map((s) => progress.today[s.name] ?? 0));
  return (
    <table className="shape-table" data-testid="shape-progress">
      <caption>By shape</caption>
      <thead>
        <tr>
          <th scope="col">Shape</th>
          <th scope="col">Session</th>
          <th scope="col">Today</th>
        </tr>
      </thead>
      <tbody>
        {SHAPES.map((s) => {
          const today = progress.today[s.name] ?? 0;
          return (
            <tr key={s.id} className={s.name === currentShape ? 'is-current' : ''} data-shape={s.name}>
              <th scope="row">
                <span className="shape-glyph" aria-hidden="true">
                  {s.emoji}
                </span>{' '}
                {s.name}
              </th>
              <td data-testid={`session-count-${s.name}`}>{progress.session[s.name] ?? 0}</td>
              <td data-testid={`today-count-${s.name}`}>
                <span className="bar" aria-hidden="true">
                  <span style={{ width: `${(today / max) * 100}%` }} />
                </span>
                {today}
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{sumCounts(progress.session)}</td>
          <td>{sumCounts(progress.today)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function AchievementList({ unlocked }: { unlocked: readonly string[] }) {
  const have = new Set(unlocked);
  return (
    <ul className="achievements" data-testid="achievements">
      {ACHIEVEMENTS.map((a) => {
        const got = have.has(a.id);
        return (
          <li key={a.id} className={got ? 'is-unlocked' : ''} data-achievement={a.id} data-unlocked={got}>
            <span className="achievement-badge" aria-hidden="true">
              {a.badge}
            </span>
            <span>
              <strong>{a.title}</strong>
              <span className="sr-only">{got ? ' (unlocked)' : ' (locked)'}</span>
              <br />
              <small>{a.description}</small>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function StatsPanel({ stats, streak, progress, unlocked, currentShape }: StatsPanelProps) {
  return (
    <>
      <section className="card" aria-labelledby="streak-heading">
        <h2 id="streak-heading">Your streak</h2>
        <StreakCard streak={streak} stats={stats} />
      </section>
      <section className="card" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <ShapeTable progress={progress} currentShape={currentShape} />
      </section>
      <section className="card" aria-labelledby="achievements-heading">
        <h2 id="achievements-heading">Achievements</h2>
        <AchievementList unlocked={unlocked} />
      </section>
    </>
  );
}
