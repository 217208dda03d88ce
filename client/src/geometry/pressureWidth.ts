/**
 * Line width for a pressure in [0, 1]: the stroke's nominal width at the mouse pressure of 0.5,
 * thinning to half and thickening to one and a half times it, so a pen feels alive without a
 * light touch vanishing.
 */
export function pressureWidth(baseWidth: number, pressure: number): number {
  const p = Number.isFinite(pressure) ? Math.min(Math.max(pressure, 0), 1) : 0.5;
  return baseWidth * (0.5 + p);
}
