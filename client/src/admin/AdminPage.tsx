import { useEffect, useMemo, useState, type ComponentType } from 'react';
import { Link, usePath } from '../app/router';
import { socketUrl } from '../net/socket';
import { AdminContext } from './adminContext';
import { SECTIONS, sectionAt, type SectionKey } from './adminSections';
import { CleanupPanel } from './cleanup/CleanupPanel';
import { DashboardSection } from './dashboard/DashboardSection';
import { DataSection } from './data/DataSection';
import { AdminFeed } from './feed/adminFeed';
import { ModelsSection } from './models/ModelsSection';
import { LoginForm } from './session/LoginForm';
import { useAdminSession, type AdminSession } from './session/useAdminSession';
import { TrainingSection } from './training/TrainingSection';
import { FeedStatus } from './feed/FeedStatus';
import './admin.css';

const VIEWS: Record<SectionKey, ComponentType> = {
  dashboard: DashboardSection,
  data: DataSection,
  training: TrainingSection,
  models: ModelsSection,
  cleanup: CleanupPanel,
};

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
        <AdminShell session={session} email={state.email} />
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

function AdminShell({ session, email }: { readonly session: AdminSession; readonly email: string }) {
  const path = usePath();
  const section = sectionAt(path);
  const [signingOut, setSigningOut] = useState(false);
  const [feed] = useState(
    () => new AdminFeed({ url: socketUrl('/ws/admin', window.location), onSessionEnded: session.expire }),
  );

  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  const context = useMemo(() => ({ client: session.client, feed, email }), [session.client, feed, email]);
  const View = section ? VIEWS[section.key] : null;

  const signOut = async () => {
    setSigningOut(true);
    try {
      await session.signOut();
    } catch {
      setSigningOut(false);
    }
  };

  return (
    <AdminContext.Provider value={context}>
      <header className="admin-header">
        <h1>Admin</h1>
        <div className="admin-account">
          <FeedStatus />
          <span className="muted admin-email" data-testid="admin-email">
            {email}
          </span>
          <button type="button" className="btn btn-small" onClick={signOut} disabled={signingOut} data-testid="logout-button">
            Sign out
          </button>
        </div>
      </header>
      <nav aria-label="Admin sections" className="admin-tabs-nav">
        <ul className="admin-tabs">
          {SECTIONS.map((s) => (
            <li key={s.key}>
              <Link to={s.path} aria-current={section?.key === s.key ? 'page' : undefined} data-testid={`admin-tab-${s.key}`}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {View ? (
        <View />
      ) : (
        <section className="admin-section">
          <h2>Page not found</h2>
          <p className="muted">
            There is no admin page at this address. <Link to="/admin">Go to the dashboard</Link>.
          </p>
        </section>
      )}
    </AdminContext.Provider>
  );
}
