/**
 * The data browser's filter, kept in the address bar: parsed from the query string (anything
 * malformed is dropped, never an error), written back in one canonical order, and sent to
 * `GET /api/admin/drawings` and the bulk endpoint under the same names.
 *
 * One default differs from the API's: without `deleted` the API lists live and soft-deleted
 * drawings together, while the browser shows live ones unless asked (docs/admin-api.md). So
 * the address bar leaves `deleted=false` out, writes "both" as `deleted=any`, and the API
 * always gets `deleted=false` for the default view.
 */

export type TriState = boolean | null;

export interface DrawingFilter {
  readonly shape: string | null;
  /** YYYY-MM-DD, inclusive. */
  readonly from: string | null;
  readonly to: string | null;
  /** Quality score bounds in [0, 1]. */
  readonly qmin: number | null;
  readonly qmax: number | null;
  readonly flagged: TriState;
  /** false by default (live drawings only); null: live and deleted together. */
  readonly deleted: TriState;
  readonly device: string | null;
  readonly synthetic: TriState;
  readonly session: string | null;
}

export const EMPTY_FILTER: DrawingFilter = {
  shape: null,
  from: null,
  to: null,
  qmin: null,
  qmax: null,
  flagged: null,
  deleted: false,
  device: null,
  synthetic: null,
  session: null,
};

/** The keys, in the order they appear in a URL. */
export const FILTER_KEYS = [
  'shape',
  'from',
  'to',
  'qmin',
  'qmax',
  'flagged',
  'deleted',
  'device',
  'synthetic',
  'session',
] as const satisfies readonly (keyof DrawingFilter)[];

export const DEVICES = ['mouse', 'touch', 'pen', 'synthetic', 'generated', 'unknown'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** The server's limit on a session id filter (game/drawing_query.py MAX_SESSION_CHARS). */
export const MAX_SESSION_CHARS = 64;

function text(v: string | null, max = MAX_SESSION_CHARS): string | null {
  const t = v?.trim() ?? '';
  return t && t.length <= max ? t : null;
}

function day(v: string | null): string | null {
  if (!v || !DAY.test(v)) return null;
  return Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? null : v;
}

function unit(v: string | null): number | null {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

function tri(v: string | null): TriState {
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return null;
}

/** A filter from `?shape=circle&flagged=true…` (a leading '?' is optional). */
export function parseFilter(search: string | URLSearchParams): DrawingFilter {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  const shape = text(q.get('shape'));
  const device = text(q.get('device'));
  let qmin = unit(q.get('qmin'));
  let qmax = unit(q.get('qmax'));
  if (qmin !== null && qmax !== null && qmin > qmax) [qmin, qmax] = [qmax, qmin];
  let from = day(q.get('from'));
  let to = day(q.get('to'));
  if (from && to && from > to) [from, to] = [to, from];
  return {
    shape: shape && NAME.test(shape) ? shape : null,
    from,
    to,
    qmin,
    qmax,
    flagged: tri(q.get('flagged')),
    deleted: q.get('deleted') === 'any' ? null : (tri(q.get('deleted')) ?? false),
    device: device && NAME.test(device) ? device : null,
    synthetic: tri(q.get('synthetic')),
    session: text(q.get('session')),
  };
}

/** A key's value as the API reads it (null: not sent). */
function apiValue(filter: DrawingFilter, key: (typeof FILTER_KEYS)[number]): string | null {
  const v = filter[key];
  return v === null ? null : String(v);
}

/** A key's value in the address bar: the default view's `deleted=false` is left out. */
function urlValue(filter: DrawingFilter, key: (typeof FILTER_KEYS)[number]): string | null {
  if (key === 'deleted') return filter.deleted === null ? 'any' : filter.deleted ? 'true' : null;
  return apiValue(filter, key);
}

type Extra = Record<string, string | number | null>;

function paramsOf(filter: DrawingFilter, value: typeof apiValue, extra: Extra): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = value(filter, key);
    if (v !== null) params.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== '') params.set(k, String(v));
  return params;
}

/** The API's query: the filter's params in canonical order, then `extra` (limit, cursor). */
export function filterParams(filter: DrawingFilter, extra: Extra = {}): URLSearchParams {
  return paramsOf(filter, apiValue, extra);
}

/** The address bar's '?shape=circle&flagged=true…', or '' for the default view. */
export function filterToSearch(filter: DrawingFilter, extra: Extra = {}): string {
  const text = paramsOf(filter, urlValue, extra).toString();
  return text ? `?${text}` : '';
}

/** The filter as the bulk endpoint's `filter` object: only the keys that constrain. */
export function filterToJson(filter: DrawingFilter): Partial<Record<keyof DrawingFilter, string | number | boolean>> {
  const out: Partial<Record<keyof DrawingFilter, string | number | boolean>> = {};
  for (const key of FILTER_KEYS) {
    const v = filter[key];
    if (v !== null) out[key] = v;
  }
  return out;
}

/** True for the default view (nothing chosen; live drawings only). */
export function isEmptyFilter(filter: DrawingFilter): boolean {
  return sameFilter(filter, EMPTY_FILTER);
}

export function sameFilter(a: DrawingFilter, b: DrawingFilter): boolean {
  return FILTER_KEYS.every((k) => a[k] === b[k]);
}

function yesNo(v: boolean, yes: string, no: string): string {
  return v ? yes : no;
}

/** One line per constraint, in words, for the bulk confirmation ("every drawing where …"). */
export function describeFilter(filter: DrawingFilter): string[] {
  const lines: string[] = [];
  if (filter.shape) lines.push(`Shape is ${filter.shape}`);
  if (filter.from && filter.to) lines.push(`Made from ${filter.from} to ${filter.to}`);
  else if (filter.from) lines.push(`Made on or after ${filter.from}`);
  else if (filter.to) lines.push(`Made on or before ${filter.to}`);
  if (filter.qmin !== null && filter.qmax !== null) lines.push(`Quality between ${filter.qmin} and ${filter.qmax}`);
  else if (filter.qmin !== null) lines.push(`Quality at least ${filter.qmin}`);
  else if (filter.qmax !== null) lines.push(`Quality at most ${filter.qmax}`);
  if (filter.flagged !== null) lines.push(yesNo(filter.flagged, 'Flagged', 'Not flagged'));
  if (filter.deleted !== null) lines.push(yesNo(filter.deleted, 'Deleted', 'Not deleted'));
  if (filter.device) lines.push(`Device is ${filter.device}`);
  if (filter.synthetic !== null) lines.push(yesNo(filter.synthetic, 'Synthetic', 'Made by players (not synthetic)'));
  if (filter.session) lines.push(`Session is ${filter.session}`);
  return lines;
}
