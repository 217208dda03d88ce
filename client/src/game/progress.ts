/**
 * Per-shape progress: how many drawings of each shape were accepted this session and today,
 * and which shapes this browser has ever had accepted. The server's counters are totals; the
 * per-shape breakdown is counted here from acks (each ack names its shape).
 */

export type ShapeCounts = Readonly<Record<string, number>>;

export interface Progress {
  readonly session: ShapeCounts;
  /** The UTC day (YYYY-MM-DD) that `today` counts. */
  readonly day: string;
  readonly today: ShapeCounts;
  readonly shapesDrawn: readonly string[];
}

export const EMPTY_PROGRESS: Progress = { session: {}, day: '', today: {}, shapesDrawn: [] };

/**
 * The day a drawing counts for, as YYYY-MM-DD in UTC: the server's "today" (stats, the today
 * leaderboard) is the UTC day, and the client's per-shape counts agree with it.
 */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Today's counts restart when the day changes. */
export function onDay(progress: Progress, day: string): Progress {
  return progress.day === day ? progress : { ...progress, day, today: {} };
}

/** Counts one accepted drawing of `shape` on `day`. */
export function recordAccepted(progress: Progress, shape: string, day: string): Progress {
  const p = onDay(progress, day);
  return {
    session: { ...p.session, [shape]: (p.session[shape] ?? 0) + 1 },
    day,
    today: { ...p.today, [shape]: (p.today[shape] ?? 0) + 1 },
    shapesDrawn: p.shapesDrawn.includes(shape) ? p.shapesDrawn : [...p.shapesDrawn, shape],
  };
}

export function sumCounts(counts: ShapeCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
