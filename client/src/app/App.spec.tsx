// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../test/fakeWebSocket';
import { App } from './App';
import { navigate } from './router';

describe('App', () => {
  beforeEach(() => {
    vi.stubGlobal('WebSocket', FakeWebSocket);
    // Pages fetch on load (the admin session check): answer "signed out", never the network.
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ error: 'unauthorized', message: 'no session' }), { status: 401 })),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sends the site root to /play', () => {
    window.history.replaceState(null, '', '/');
    render(<App />);
    expect(window.location.pathname).toBe('/play');
    expect(screen.getByTestId('nav-play').getAttribute('aria-current')).toBe('page');
  });

  it('shows each section with its heading and marks it in the navigation', async () => {
    window.history.replaceState(null, '', '/lab');
    render(<App />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Lab');
    await act(async () => screen.getByTestId('nav-admin').click());
    expect(window.location.pathname).toBe('/admin');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Admin');
    expect(screen.getByTestId('nav-admin').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('nav-lab').getAttribute('aria-current')).toBeNull();
    expect(document.title).toBe('Admin · Drawstream');
  });

  it('keeps admin sub-pages in the admin section', () => {
    window.history.replaceState(null, '', '/admin/models');
    render(<App />);
    expect(screen.getByTestId('admin-page')).toBeTruthy();
  });

  it('follows the browser\u2019s back button', async () => {
    window.history.replaceState(null, '', '/lab');
    render(<App />);
    await act(async () => navigate('/watch'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Watch live');
    await act(async () => {
      window.history.back();
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(window.location.pathname).toBe('/lab');
  });

  it('says so for an unknown address', () => {
    window.history.replaceState(null, '', '/nowhere');
    render(<App />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Page not found');
  });
});
