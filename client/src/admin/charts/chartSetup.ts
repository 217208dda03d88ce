/**
 * Chart.js, registered once with only the pieces the portal draws (bar and line charts with
 * tooltips and legends), so the bundle carries nothing else. Importing this module is what
 * makes the chart components work.
 */

import {
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarElement, CategoryScale, Filler, Legend, LinearScale, LineElement, PointElement, Tooltip);

Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
Chart.defaults.color = '#5b6072';
Chart.defaults.borderColor = '#e2e5ef';

/** The portal's chart colours (base.css tokens, which canvas cannot read as variables). */
export const CHART_COLORS = {
  primary: '#4f46e5',
  primarySoft: 'rgba(79, 70, 229, 0.15)',
  success: '#15803d',
  warning: '#a16207',
  error: '#b42318',
  series: ['#4f46e5', '#0ea5e9', '#15803d', '#d97706', '#db2777', '#7c3aed', '#64748b'],
} as const;

export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-reduced-motion: reduce)').matches
    : false;
}
