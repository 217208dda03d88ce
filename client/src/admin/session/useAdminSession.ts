import { useCallback, useEffect, useMemo, useState } from 'react';
import { AdminClient, ApiError, isAbort } from '../api/adminClient';
import { getSession, login, logout } from '../api/endpoints';

/**
 * The admin's session as the page sees it: checked once on load (`GET /session`), gained by
 * logging in, lost by logging out or by any 401 (expiry, revocation in another tab), after
 * which the login form comes back with a note saying why.
 */
export type SessionState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signedOut'; readonly notice: string | null }
  | { readonly kind: 'signedIn'; readonly email: string }
  | { readonly kind: 'unreachable'; readonly message: string };

export interface AdminSession {
  readonly state: SessionState;
  readonly client: AdminClient;
  /** Rejects with ApiError for the form to show (wrong password, 429 wait ...). */
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** The session ended elsewhere (the feed closed with 4401). */
  expire(): void;
  recheck(): void;
}

const ENDED = 'Your session has ended. Sign in again to continue.';

export function useAdminSession(options: { fetch?: typeof fetch } = {}): AdminSession {
  const [state, setState] = useState<SessionState>({ kind: 'checking' });
  const [check, setCheck] = useState(0);
  const [client] = useState(
    () =>
      new AdminClient({
        ...(options.fetch ? { fetch: options.fetch } : {}),
        onUnauthorized: () =>
          setState((s) => (s.kind === 'signedIn' ? { kind: 'signedOut', notice: ENDED } : s)),
      }),
  );

  useEffect(() => {
    const ac = new AbortController();
    getSession(client, ac.signal).then(
      (s) => {
        client.setCsrfToken(s.csrfToken ?? null);
        setState({ kind: 'signedIn', email: s.email });
      },
      (err: unknown) => {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 401) setState({ kind: 'signedOut', notice: null });
        else setState({ kind: 'unreachable', message: (err as Error).message });
      },
    );
    return () => ac.abort();
  }, [client, check]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const s = await login(client, email, password);
      client.setCsrfToken(s.csrfToken ?? null);
      setState({ kind: 'signedIn', email: s.email ?? email });
    },
    [client],
  );

  const signOut = useCallback(async () => {
    try {
      await logout(client);
    } catch (err) {
      // Already gone (401) is what we wanted; anything else is worth saying.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    client.setCsrfToken(null);
    setState({ kind: 'signedOut', notice: 'You have signed out.' });
  }, [client]);

  const expire = useCallback(() => {
    client.setCsrfToken(null);
    setState((s) => (s.kind === 'signedIn' ? { kind: 'signedOut', notice: ENDED } : s));
  }, [client]);

  const recheck = useCallback(() => {
    setState({ kind: 'checking' });
    setCheck((n) => n + 1);
  }, []);

  return useMemo(
    () => ({ state, client, signIn, signOut, expire, recheck }),
    [state, client, signIn, signOut, expire, recheck],
  );
}
