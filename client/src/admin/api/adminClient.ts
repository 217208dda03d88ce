/**
 * The admin API's HTTP client: same-origin JSON with the session cookie, the CSRF token on
 * every write, and one typed error for every failure (docs/security.md).
 *
 * - Writes (anything but GET/HEAD) carry `X-CSRF-Token`: the token from the login or session
 *   JSON, else the readable `ds_csrf` cookie.
 * - 401 means the session is gone (expired, revoked, never was): `onUnauthorized` runs, so the
 *   page shows the login form, and the call still rejects.
 * - A 403 `csrf_failed` usually means the token went stale (another tab logged in again): the
 *   client re-reads it from `GET /session` and retries the write once.
 * - 429 and 503 carry `Retry-After`; the error exposes it in seconds.
 */

export const API_BASE = '/api/admin';
export const CSRF_HEADER = 'X-CSRF-Token';
export const CSRF_COOKIE = 'ds_csrf';

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterS: number | null = null,
    readonly details: readonly { field: string; message: string }[] = [],
    readonly requestId: string | null = null,
  ) {
    super(message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

/** True for the rejection of an aborted fetch (a newer request replaced it, or unmount). */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException ? err.name === 'AbortError' : (err as Error | null)?.name === 'AbortError';
}

/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP date; null if absent or bad. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** One cookie's value out of a `document.cookie` string. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

export type Query = Record<string, string | number | boolean | null | undefined> | URLSearchParams;

/** `?a=1&b=x` from a record (null, undefined and '' left out), or '' when nothing is left. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [key, value] of Object.entries(query)) {
      if (value === null || value === undefined || value === '') continue;
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface AdminClientOptions {
  readonly fetch?: typeof fetch;
  /** Where the `ds_csrf` cookie is read from (document.cookie in the browser). */
  readonly cookies?: () => string;
  /** The session is gone: show the login form. */
  readonly onUnauthorized?: () => void;
  readonly now?: () => number;
}

interface RequestOptions {
  readonly signal?: AbortSignal | undefined;
  /** Not retried after a stale-token refusal (the session refresh itself). */
  readonly noRetry?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export class AdminClient {
  private token: string | null = null;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: AdminClientOptions = {}) {
    // Bound: calling an unbound window.fetch throws "Illegal invocation" in browsers.
    this.doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The session's CSRF token, from the login or session JSON (null: forget it). */
  setCsrfToken(token: string | null): void {
    this.token = token;
  }

  get csrfToken(): string | null {
    if (this.token) return this.token;
    const cookies = this.options.cookies ?? (() => (typeof document === 'undefined' ? '' : document.cookie));
    return readCookie(cookies(), CSRF_COOKIE);
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', `${path}${queryString(query)}`, undefined, { signal });
  }

  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, body ?? {}, { signal });
  }

  /** The absolute URL of an admin path (for <img src> and links). */
  url(path: string, query?: Query): string {
    return `${API_BASE}${path}${queryString(query)}`;
  }

  async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const write = !SAFE_METHODS.has(method);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (write) {
      const token = this.csrfToken;
      if (token) headers[CSRF_HEADER] = token;
    }
    let response: Response;
    try {
      response = await this.doFetch(`${API_BASE}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
    }
    if (response.ok) return (await readBody(response)) as T;
    const error = await this.errorOf(response);
    if (error.status === 401) this.options.onUnauthorized?.();
    if (write && error.code === 'csrf_failed' && !options.noRetry && (await this.refreshToken())) {
      return this.request<T>(method, path, body, { ...options, noRetry: true });
    }
    throw error;
  }

  private async refreshToken(): Promise<boolean> {
    try {
      const session = await this.request<{ csrfToken?: string }>('GET', '/session', undefined, { noRetry: true });
      if (typeof session.csrfToken !== 'string') return false;
      this.token = session.csrfToken;
      return true;
    } catch {
      return false;
    }
  }

  private async errorOf(response: Response): Promise<ApiError> {
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'), (this.options.now ?? Date.now)());
    let json: unknown = null;
    try {
      json = await readBody(response);
    } catch {
      // Not JSON (a proxy's HTML error page): the status says enough.
    }
    const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const code = typeof body.error === 'string' ? body.error : `http_${response.status}`;
    const message = typeof body.message === 'string' ? body.message : fallbackMessage(response.status);
    const details = Array.isArray(body.details) ? (body.details as { field: string; message: string }[]) : [];
    const requestId = typeof body.requestId === 'string' ? body.requestId : response.headers.get('X-Request-Id');
    return new ApiError(response.status, code, message, retryAfter, details, requestId);
  }
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'This action was refused.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return `The server had a problem (HTTP ${status}). Try again shortly.`;
  return `The request failed (HTTP ${status}).`;
}
