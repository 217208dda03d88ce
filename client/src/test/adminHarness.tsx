/**
 * Renders one admin view inside the signed-in context, with the admin API answered by a table
 * of handlers: specs of a single section need neither the session gate nor a live socket.
 */

import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { AdminContext } from '../admin/adminContext';
import { AdminClient } from '../admin/api/adminClient';
import { AdminFeed } from '../admin/feed/adminFeed';

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** Answers a call (a Response as it is, anything else as 200 JSON); keyed by "METHOD /api/admin/path" (no query). */
export type ApiHandler = (call: ApiCall) => unknown;

export const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** `view` rendered with an AdminClient over `routes` (404 for a call no route answers). */
export function renderAdmin(view: ReactElement, routes: Record<string, ApiHandler>): RenderResult & { readonly calls: ApiCall[] } {
  const calls: ApiCall[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const call: ApiCall = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const handler = routes[`${call.method} ${call.path}`];
    if (!handler) return jsonResponse(404, { error: 'not_found', message: `no route ${call.method} ${call.path}` });
    const answer = handler(call);
    return answer instanceof Response ? answer : jsonResponse(200, answer);
  };
  const client = new AdminClient({ fetch, cookies: () => 'ds_csrf=csrf-1' });
  // Never started: the view reads the feed's initial (empty) state.
  const feed = new AdminFeed({ url: 'ws://localhost/ws/admin' });
  const result = render(<AdminContext.Provider value={{ client, feed, email: 'admin@example.com' }}>{view}</AdminContext.Provider>);
  return { ...result, calls };
}
