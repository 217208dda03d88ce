import { useEffect, useMemo, useState } from 'react';
import { useFeed } from '../adminContext';
import { recentSeries } from '../charts/chartData';
import { CHART_COLORS } from '../charts/chartSetup';
import { LineSeriesChart } from '../charts/SeriesCharts';
import { heartbeatAgeMs } from '../feed/adminProtocol';
import { formatAgo, formatCount, formatDuration } from '../ui/format';

/** A worker silent for longer than this is shown as stale. */
export const WORKER_STALE_MS = 30_000;
const WINDOW_S = 60;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The /ws/admin monitoring feed: throughput, players, ingest, workers, recent errors. */
export function LiveMonitor() {
  const { state, connection } = useFeed();
  const now = useNow(1000);
  const m = state.monitor;
  const rate = useMemo(() => recentSeries(state.rate, Math.max(now, state.monitorAt ?? 0), WINDOW_S), [state.rate, state.monitorAt, now]);
  const stale = state.monitorAt === null || now - state.monitorAt > 5000;

  return (
    <section className="monitor card" aria-labelledby="monitor-title" data-testid="live-monitor" data-state={connection} data-fresh={!stale}>
      <div className="section-head">
        <h3 id="monitor-title">Live</h3>
        <span className="muted small" aria-live="off">
          {state.monitorAt === null ? (connection === 'open' ? 'Waiting for the first update…' : 'Not connected') : `Updated ${formatAgo(now - state.monitorAt)}`}
        </span>
      </div>
      <div className="monitor-grid">
        <div className="monitor-rate">
          <div className="monitor-figure">
            <span className="stat-label">Drawings / s</span>
            <span className="stat-value tabular" data-testid="monitor-rate" data-value={m?.drawingsPerSecond ?? ''}>
              {m ? m.drawingsPerSecond.toFixed(1) : '–'}
            </span>
          </div>
          <div className="sparkline" data-testid="chart-rate" role="img" aria-label={`Drawings per second over the last minute; now ${m ? m.drawingsPerSecond.toFixed(1) : 'unknown'}.`}>
            <LineSeriesChart labels={rate.labels} lines={[{ label: 'Drawings/s', values: rate.values, color: CHART_COLORS.primary, fill: true }]} sparkline />
          </div>
        </div>
        <dl className="monitor-figures">
          <div>
            <dt>Players connected</dt>
            <dd className="tabular" data-testid="monitor-players" data-value={m?.connectedPlayers ?? ''}>
              {m ? formatCount(m.connectedPlayers) : '–'}
            </dd>
          </div>
          <div>
            <dt>Ingest lag</dt>
            <dd className="tabular" data-testid="monitor-lag" data-value={m?.ingest.lagMs ?? ''}>
              {m ? formatDuration(m.ingest.lagMs) : '–'}
            </dd>
          </div>
          <div>
            <dt>Ingest backlog</dt>
            <dd className="tabular" data-testid="monitor-backlog">
              {m ? formatCount(m.ingest.backlog) : '–'}
            </dd>
          </div>
        </dl>
        <div className="monitor-list">
          <h4>Stored in the last minute</h4>
          {m && m.perShape.length ? (
            <ul className="chips" data-testid="monitor-per-shape">
              {m.perShape.map((s) => (
                <li key={s.shape} className="chip">
                  {s.shape} <strong className="tabular">{formatCount(s.count)}</strong>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">Nothing yet.</p>
          )}
        </div>
        <div className="monitor-list">
          <h4>Workers</h4>
          {m && m.workers.length ? (
            <ul className="plain-list">
              {m.workers.map((w) => {
                // On the server's clock (the frame's `at`), plus the time since the frame came.
                const beat = heartbeatAgeMs(w.lastHeartbeatMs, m.at ?? state.monitorAt ?? now);
                const age = beat === null ? null : beat + Math.max(0, now - (state.monitorAt ?? now));
                const isStale = age === null || age > WORKER_STALE_MS;
                return (
                  <li key={w.name} data-testid="monitor-worker" data-name={w.name} data-stale={isStale}>
                    <span className={`status-dot ${isStale ? 'is-bad' : 'is-good'}`} aria-hidden="true" />
                    <span className="mono">{w.name}</span>{' '}
                    <span className="muted small">{isStale ? 'no heartbeat ' : 'beat '}{formatAgo(age)}</span>
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="muted small">{m ? 'No worker is reporting.' : 'Nothing yet.'}</p>
          )}
        </div>
        <div className="monitor-list monitor-errors">
          <h4>Recent errors and events</h4>
          {state.errors.length || state.models.length ? (
            <ul className="plain-list" data-testid="monitor-errors">
              {state.errors.slice(0, 6).map((e) => (
                <li key={`e${e.at}${e.code}`} className="error-text" data-testid="monitor-error" data-code={e.code}>
                  <span className="muted small">{new Date(e.at).toLocaleTimeString()}</span> {e.message || e.code}
                </li>
              ))}
              {state.models.slice(0, 4).map((e) => (
                <li key={`m${e.at}${e.event}${e.server ?? ''}`} data-testid="monitor-model-event" data-event={e.event}>
                  <span className="muted small">{new Date(e.at).toLocaleTimeString()}</span> Model v{e.version ?? '?'} {e.event}
                  {e.server ? ` on ${e.server}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">No errors.</p>
          )}
        </div>
      </div>
    </section>
  );
}
