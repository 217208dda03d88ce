import { lazy, Suspense } from 'react';
import { LoginForm } from './session/LoginForm';
import { useAdminSession } from './session/useAdminSession';
import './admin.css';

// The portal itself (charts and all) loads only once an admin is signed in.
const AdminShell = lazy(() => import('./AdminShell'));

/**
 * /admin: the session gate (checked on load; a 401 anywhere brings the login form back), then
 * the portal's sections, each at its own address under /admin.
 */
export function AdminPage() {
  const session = useAdminSession();
  const { state } = session;
  return (
    <main id="main" className="page admin" tabIndex={-1} data-testid="admin-page" data-session={state.kind}>
      {state.kind === 'signedIn' ? (
        <Suspense
          fallback={
            <div className="admin-gate">
              <h1>Admin</h1>
              <p className="muted" role="status">
                <span className="spinner" aria-hidden="true" /> Loading the admin portal…
              </p>
            </div>
          }
        >
          <AdminShell session={session} email={state.email} />
        </Suspense>
      ) : (
        <div className="admin-gate">
          <h1>Admin</h1>
          {state.kind === 'checking' ? (
            <p className="muted" role="status">
              <span className="spinner" aria-hidden="true" /> Checking your session…
            </p>
          ) : state.kind === 'unreachable' ? (
            <div className="notice notice-error" role="alert" data-testid="session-error">
              <span>{state.message}</span>
              <button type="button" className="btn btn-small" onClick={session.recheck}>
                Try again
              </button>
            </div>
          ) : (
            <LoginForm onSubmit={session.signIn} notice={state.notice} />
          )}
        </div>
      )}
    </main>
  );
}
