import { describe, expect, it, vi } from 'vitest';
import { AdminClient, ApiError, CSRF_HEADER, parseRetryAfter, queryString, readCookie } from './adminClient';

type Call = { url: string; init: RequestInit };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** A fetch that answers from a queue and records every call. */
function scripted(...answers: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('no scripted answer left');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

describe('AdminClient', () => {
  it('adds the CSRF token to writes and never to reads', async () => {
    const { fetch, calls } = scripted(json(200, { ok: 1 }), json(200, { affected: 2 }));
    const client = new AdminClient({ fetch, cookies: () => '' });
    client.setCsrfToken('tok-1');
    await client.get('/stats');
    await client.post('/drawings/bulk', { action: 'flag', ids: ['a'] });
    expect(calls[0]!.url).toBe('/api/admin/stats');
    expect(header(calls[0]!, CSRF_HEADER)).toBeUndefined();
    expect(calls[1]!.init.method).toBe('POST');
    expect(header(calls[1]!, CSRF_HEADER)).toBe('tok-1');
    expect(header(calls[1]!, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(calls[1]!.init.body as string)).toEqual({ action: 'flag', ids: ['a'] });
    expect(calls[1]!.init.credentials).toBe('same-origin');
  });

  it('falls back to the readable ds_csrf cookie', async () => {
    const { fetch, calls } = scripted(json(204, undefined));
    const client = new AdminClient({ fetch, cookies: () => 'theme=dark; ds_csrf=from%20cookie; other=1' });
    await client.post('/logout');
    expect(header(calls[0]!, CSRF_HEADER)).toBe('from cookie');
  });

  it('reports a 401 to onUnauthorized and still rejects', async () => {
    const onUnauthorized = vi.fn();
    const { fetch } = scripted(json(401, { error: 'unauthorized', message: 'no session', requestId: 'r1' }));
    const client = new AdminClient({ fetch, cookies: () => '', onUnauthorized });
    const err = await client.get('/stats').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).code).toBe('unauthorized');
    expect((err as ApiError).requestId).toBe('r1');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('exposes Retry-After of a 429 in seconds', async () => {
    const { fetch } = scripted(json(429, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '42' }));
    const client = new AdminClient({ fetch, cookies: () => '' });
    const err = (await client.post('/login', { email: 'a@b', password: 'x' }).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(429);
    expect(err.retryAfterS).toBe(42);
  });

  it('refreshes a stale CSRF token from /session and retries the write once', async () => {
    const { fetch, calls } = scripted(
      json(403, { error: 'csrf_failed', message: 'wrong token' }),
      json(200, { email: 'a@b.c', csrfToken: 'fresh' }),
      json(200, { affected: 1 }),
    );
    const client = new AdminClient({ fetch, cookies: () => '' });
    client.setCsrfToken('stale');
    await expect(client.post('/drawings/x/delete')).resolves.toEqual({ affected: 1 });
    expect(calls.map((c) => c.url)).toEqual(['/api/admin/drawings/x/delete', '/api/admin/session', '/api/admin/drawings/x/delete']);
    expect(header(calls[2]!, CSRF_HEADER)).toBe('fresh');
  });

  it('does not loop when the refreshed token is refused too', async () => {
    const { fetch, calls } = scripted(
      json(403, { error: 'csrf_failed', message: 'wrong token' }),
      json(200, { email: 'a@b.c', csrfToken: 'fresh' }),
      json(403, { error: 'csrf_failed', message: 'still wrong' }),
    );
    const client = new AdminClient({ fetch, cookies: () => '' });
    await expect(client.post('/cleanup/run', {})).rejects.toMatchObject({ status: 403, code: 'csrf_failed' });
    expect(calls).toHaveLength(3);
  });

  it('turns a network failure and a non-JSON error page into readable errors', async () => {
    const { fetch } = scripted(new TypeError('Failed to fetch'), new Response('<html>Bad gateway</html>', { status: 502 }));
    const client = new AdminClient({ fetch, cookies: () => '' });
    await expect(client.get('/stats')).rejects.toMatchObject({ status: 0, code: 'network' });
    const err = (await client.get('/stats').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.code).toBe('http_502');
    expect(err.message).toMatch(/server had a problem/);
  });

  it('passes an abort through untouched', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const { fetch } = scripted(abort);
    const client = new AdminClient({ fetch, cookies: () => '' });
    await expect(client.get('/stats')).rejects.toBe(abort);
  });

  it('answers 204 with undefined', async () => {
    const { fetch } = scripted(json(204, undefined));
    const client = new AdminClient({ fetch, cookies: () => '' });
    await expect(client.post('/logout')).resolves.toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Thu, 01 Jan 2025 00:00:00 GMT', now)).toBe(0);
  });

  it('is null when absent or unreadable', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('readCookie and queryString', () => {
  it('finds one cookie among many', () => {
    expect(readCookie('a=1; ds_csrf=abc; b=2', 'ds_csrf')).toBe('abc');
    expect(readCookie('ds_csrf_x=1', 'ds_csrf')).toBeNull();
    expect(readCookie('', 'ds_csrf')).toBeNull();
  });

  it('leaves out empty values', () => {
    expect(queryString({ a: 1, b: null, c: '', d: 'x y', e: false })).toBe('?a=1&d=x+y&e=false');
    expect(queryString({})).toBe('');
  });
});
