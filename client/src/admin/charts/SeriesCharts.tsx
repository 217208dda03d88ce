import type { ChartData, ChartOptions } from 'chart.js';
import { useMemo } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { CHART_COLORS, prefersReducedMotion } from './chartSetup';
import type { Series } from './chartData';

interface BarProps {
  readonly series: Series;
  readonly label: string;
  readonly color?: string | readonly string[];
  readonly horizontal?: boolean;
}

/** One series of counts as bars (per shape, per device, quality buckets, per day). */
export function BarSeriesChart({ series, label, color = CHART_COLORS.primary, horizontal = false }: BarProps) {
  const data = useMemo<ChartData<'bar'>>(
    () => ({
      labels: series.labels,
      datasets: [
        {
          label,
          data: series.values,
          backgroundColor: typeof color === 'string' ? color : [...color],
          borderRadius: 4,
          maxBarThickness: 48,
        },
      ],
    }),
    [series, label, color],
  );
  const options = useMemo<ChartOptions<'bar'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: prefersReducedMotion() ? false : { duration: 300 },
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: false } },
      scales: {
        [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } },
        [horizontal ? 'y' : 'x']: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
      },
    }),
    [horizontal],
  );
  return <Bar data={data} options={options} />;
}

export interface LineSpec {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** 'y' (left) or 'y1' (right). */
  readonly axis?: 'y' | 'y1';
  readonly fill?: boolean;
  readonly dashed?: boolean;
}

interface LineProps {
  readonly labels: readonly string[];
  readonly lines: readonly LineSpec[];
  readonly yTitle?: string;
  /** Fixed range of the left axis (accuracy in %: 0..100). */
  readonly yRange?: { readonly min: number; readonly max: number };
  readonly y1Title?: string;
  /** Fixed range of the right axis (accuracy in %: 0..100). */
  readonly y1Range?: { readonly min: number; readonly max: number };
  readonly xTitle?: string;
  /** Live data: no animation, no points, no legend. */
  readonly sparkline?: boolean;
  /**
   * Labels are numbers (optimizer steps): place points by value on a linear axis, so reports
   * that arrive unevenly are not drawn evenly spaced.
   */
  readonly numericX?: boolean;
}

/** Lines over a shared x axis: training curves (two axes), the drawings/s sparkline, per day. */
export function LineSeriesChart({ labels, lines, yTitle, yRange, y1Title, y1Range, xTitle, sparkline = false, numericX = false }: LineProps) {
  const data = useMemo<ChartData<'line', (number | null | { x: number; y: number | null })[]>>(
    () => ({
      labels: numericX ? [] : [...labels],
      datasets: lines.map((l) => ({
        label: l.label,
        data: numericX ? l.values.map((y, i) => ({ x: Number(labels[i]), y })) : [...l.values],
        borderColor: l.color,
        backgroundColor: l.fill ? `${l.color}26` : l.color,
        fill: l.fill ?? false,
        yAxisID: l.axis ?? 'y',
        borderWidth: 2,
        borderDash: l.dashed ? [6, 4] : [],
        pointRadius: sparkline ? 0 : labels.length > 60 ? 0 : 2,
        tension: 0.25,
        // Monotone curves never overshoot their points (no accuracy above 100%).
        cubicInterpolationMode: 'monotone' as const,
        spanGaps: true,
      })),
    }),
    [labels, lines, sparkline, numericX],
  );
  const hasRight = lines.some((l) => l.axis === 'y1');
  const options = useMemo<ChartOptions<'line'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: sparkline || prefersReducedMotion() ? false : { duration: 250 },
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: {
          display: !sparkline && lines.length > 1,
          position: 'bottom',
          labels: { usePointStyle: true, pointStyle: 'line' },
        },
      },
      scales: {
        x: {
          ...(numericX ? { type: 'linear' as const } : {}),
          display: !sparkline,
          grid: { display: false },
          ticks: { autoSkip: true, maxTicksLimit: 8, maxRotation: 0 },
          title: { display: Boolean(xTitle), text: xTitle ?? '' },
        },
        y: {
          beginAtZero: true,
          min: yRange?.min,
          max: yRange?.max,
          title: { display: Boolean(yTitle), text: yTitle ?? '' },
          ticks: { maxTicksLimit: sparkline ? 3 : 6 },
        },
        ...(hasRight
          ? {
              y1: {
                position: 'right' as const,
                min: y1Range?.min,
                max: y1Range?.max,
                grid: { drawOnChartArea: false },
                title: { display: Boolean(y1Title), text: y1Title ?? '' },
              },
            }
          : {}),
      },
    }),
    [sparkline, lines.length, hasRight, xTitle, yTitle, yRange, y1Title, y1Range, numericX],
  );
  return <Line data={data} options={options} />;
}
