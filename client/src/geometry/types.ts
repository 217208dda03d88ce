/**
 * Branded point types. A screen point (clientX/clientY, viewport CSS pixels) and a canvas point
 * (CSS pixels from the drawing's top-left corner, what the wire carries) are both `{x, y}`;
 * the brands make the compiler refuse one where the other is expected, so a conversion can't be
 * forgotten (the excalidraw `GlobalPoint` / `LocalPoint` habit).
 */

declare const screenBrand: unique symbol;
declare const canvasBrand: unique symbol;

export type ScreenPoint = { readonly x: number; readonly y: number } & {
  readonly [screenBrand]: true;
};

export type CanvasPoint = { readonly x: number; readonly y: number } & {
  readonly [canvasBrand]: true;
};

/** Width and height in CSS pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Where an element lies in the viewport (the part of DOMRect we use). */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** An axis-aligned box in canvas coordinates. */
export interface Bounds {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export function screenPoint(x: number, y: number): ScreenPoint {
  return { x, y } as ScreenPoint;
}

export function canvasPoint(x: number, y: number): CanvasPoint {
  return { x, y } as CanvasPoint;
}
