import { useMemo } from 'react';
import type { AdminStats } from '../api/types';
import { dailySeries, qualitySeries, rankedSeries, shapeSeries, type Series } from '../charts/chartData';
import { ChartFigure } from '../charts/ChartFigure';
import { CHART_COLORS } from '../charts/chartSetup';
import { BarSeriesChart, LineSeriesChart } from '../charts/SeriesCharts';
import { formatCount, utcDay } from '../ui/format';

const EMPTY: Series = { labels: [], values: [] };

function tableOf(series: Series, heading: string) {
  return { columns: [heading, 'Drawings'], rows: series.labels.map((l, i) => [l, series.values[i] ?? 0]) };
}

function summaryOf(series: Series, what: string): string {
  if (series.labels.length === 0) return `${what}: no data yet.`;
  const parts = series.labels.map((l, i) => `${l} ${formatCount(series.values[i])}`);
  return `${what}: ${parts.join(', ')}.`;
}

/** Per shape, per day, per device and the quality distribution. */
export function StatCharts({ stats }: { readonly stats: AdminStats | null }) {
  const perShape = useMemo(() => (stats ? shapeSeries(stats.perShape) : EMPTY), [stats]);
  const perDay = useMemo(() => (stats ? dailySeries(stats.perDay, utcDay()) : EMPTY), [stats]);
  const perDevice = useMemo(() => (stats ? rankedSeries(stats.perDevice, 'device') : EMPTY), [stats]);
  const quality = useMemo(() => (stats ? qualitySeries(stats.quality.buckets) : EMPTY), [stats]);
  const waiting = stats ? null : 'Loading…';
  const dayTotal = perDay.values.reduce((a, b) => a + b, 0);

  return (
    <div className="chart-grid">
      <ChartFigure title="Drawings per shape" testId="chart-per-shape" summary={summaryOf(perShape, 'Drawings per shape')} table={tableOf(perShape, 'Shape')} empty={waiting}>
        <BarSeriesChart series={perShape} label="Drawings" color={CHART_COLORS.series} />
      </ChartFigure>
      <ChartFigure
        title="Drawings per day (30 days, UTC)"
        testId="chart-per-day"
        summary={`Drawings per day over the last 30 days: ${formatCount(dayTotal)} in all.`}
        table={tableOf(perDay, 'Day')}
        empty={waiting}
      >
        <LineSeriesChart labels={perDay.labels} lines={[{ label: 'Drawings', values: perDay.values, color: CHART_COLORS.primary, fill: true }]} />
      </ChartFigure>
      <ChartFigure title="Drawings per device" testId="chart-per-device" summary={summaryOf(perDevice, 'Drawings per device')} table={tableOf(perDevice, 'Device')} empty={waiting ?? (perDevice.labels.length ? null : 'No drawings yet')}>
        <BarSeriesChart series={perDevice} label="Drawings" color="#0ea5e9" horizontal />
      </ChartFigure>
      <ChartFigure title="Quality score distribution" testId="chart-quality" summary={summaryOf(quality, 'Drawings per quality score range')} table={tableOf(quality, 'Quality')} empty={waiting ?? (quality.labels.length ? null : 'No drawings yet')}>
        <BarSeriesChart series={quality} label="Drawings" color={CHART_COLORS.success} />
      </ChartFigure>
    </div>
  );
}
