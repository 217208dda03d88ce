/**
 * The server's bounds on a drawing (game/limits.py); the client stays within them so a drawing
 * the player made is never refused for its size.
 */
export interface DrawingLimits {
  readonly maxStrokes: number;
  readonly maxPointsPerStroke: number;
  readonly maxPoints: number;
  readonly maxDurationMs: number;
  readonly minCanvas: number;
  readonly maxCanvas: number;
  /** Points may lie this fraction of the canvas outside it (pointer capture). */
  readonly coordSlack: number;
}

export const DRAWING_LIMITS: DrawingLimits = {
  maxStrokes: 64,
  maxPointsPerStroke: 4_096,
  maxPoints: 16_384,
  maxDurationMs: 10 * 60 * 1000,
  minCanvas: 16,
  maxCanvas: 8_192,
  coordSlack: 0.5,
};

/** The pen the game draws with (sent with each stroke). */
export const PEN = { color: '#1e1e1e', width: 4 } as const;
