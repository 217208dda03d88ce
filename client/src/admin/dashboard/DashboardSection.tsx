import { useEffect } from 'react';
import { useAdmin } from '../adminContext';
import { getStats } from '../api/endpoints';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useResource } from '../ui/useResource';
import { LiveMonitor } from './LiveMonitor';
import { StatCharts } from './StatCharts';
import { StatTiles } from './StatTiles';
import './dashboard.css';

/** Stats refresh this often while the dashboard is open (the live feed covers the seconds). */
export const STATS_REFRESH_MS = 30_000;

/** Counts, distributions, ingest and the active model, plus the live monitoring feed. */
export function DashboardSection() {
  const { client } = useAdmin();
  const stats = useResource((signal) => getStats(client, signal), [client]);
  const { reload } = stats;

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') reload();
    }, STATS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  return (
    <section className="admin-section" aria-labelledby="dashboard-title" data-testid="dashboard">
      <div className="section-head">
        <h2 id="dashboard-title">Dashboard</h2>
        <button type="button" className="btn btn-small" onClick={reload} disabled={stats.loading} data-testid="stats-refresh">
          {stats.loading ? <span className="spinner" aria-hidden="true" /> : null}
          Refresh
        </button>
      </div>
      {stats.error && !stats.data ? <ErrorNotice error={stats.error} onRetry={reload} /> : null}
      <StatTiles stats={stats.data} />
      <LiveMonitor />
      <StatCharts stats={stats.data} />
    </section>
  );
}
