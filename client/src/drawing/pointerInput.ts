import type { Device } from '../protocol';

/** The protocol's device for a PointerEvent.pointerType (unknown types count as a mouse). */
export function deviceOf(pointerType: string): Device {
  return pointerType === 'pen' || pointerType === 'touch' ? pointerType : 'mouse';
}

/**
 * Pressure to record for a pointer sample. A mouse has none (browsers report 0.5 while a button
 * is down, 0 otherwise), so it is always 0.5; a touch screen without force sensing reports 0,
 * which means "unknown", not "no pressure"; a pen reports what it measures.
 */
export function pressureOf(pointerType: string, pressure: number): number {
  if (deviceOf(pointerType) === 'mouse') return 0.5;
  if (!Number.isFinite(pressure)) return 0.5;
  if (pointerType === 'touch' && pressure === 0) return 0.5;
  return Math.min(Math.max(pressure, 0), 1);
}
