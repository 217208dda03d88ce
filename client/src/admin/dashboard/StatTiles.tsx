import type { AdminStats } from '../api/types';
import { formatCount, formatDuration, formatPercent } from '../ui/format';

interface Tile {
  readonly testId: string;
  readonly label: string;
  readonly value: string;
  readonly raw: number | string | null;
  readonly note?: string;
  readonly tone?: 'warning' | 'error';
}

function tilesOf(stats: AdminStats | null): Tile[] {
  const t = stats?.totals;
  const lag = stats?.ingest.lagMs ?? null;
  const model = stats?.activeModel ?? null;
  return [
    { testId: 'stat-total', label: 'Drawings', value: formatCount(t?.drawings), raw: t?.drawings ?? null },
    { testId: 'stat-flagged', label: 'Flagged', value: formatCount(t?.flagged), raw: t?.flagged ?? null, tone: t?.flagged ? 'warning' : undefined },
    { testId: 'stat-deleted', label: 'Deleted', value: formatCount(t?.deleted), raw: t?.deleted ?? null },
    {
      testId: 'stat-synthetic',
      label: 'Synthetic / generated',
      value: t ? `${formatCount(t.synthetic)} / ${formatCount(t.generated)}` : '–',
      raw: t?.synthetic ?? null,
    },
    {
      testId: 'stat-ingest-lag',
      label: 'Ingest lag',
      value: lag === null ? '–' : formatDuration(lag),
      raw: lag,
      note: stats ? `${formatCount(stats.ingest.backlog)} waiting` : undefined,
      tone: lag !== null && lag > 10_000 ? 'error' : lag !== null && lag > 2_000 ? 'warning' : undefined,
    },
    {
      testId: 'stat-active-model',
      label: 'Active model',
      value: stats ? (model ? `v${model.version}` : 'None') : '–',
      raw: model?.version ?? null,
      note: model ? `${formatPercent(model.accuracy)} accuracy` : stats ? 'Train and activate one' : undefined,
    },
  ];
}

/** The headline numbers; every tile keeps its size while loading, so nothing shifts. */
export function StatTiles({ stats }: { readonly stats: AdminStats | null }) {
  return (
    <ul className="stat-tiles" aria-busy={stats === null}>
      {tilesOf(stats).map((tile) => (
        <li key={tile.testId} className={`stat-tile card${tile.tone ? ` tone-${tile.tone}` : ''}`} data-testid={tile.testId} data-value={tile.raw ?? ''}>
          <span className="stat-label">{tile.label}</span>
          <span className="stat-value tabular">{tile.value}</span>
          <span className="stat-note muted">{tile.note ?? '\u00a0'}</span>
        </li>
      ))}
    </ul>
  );
}
