import { useEffect, useMemo, useState, type ComponentType } from 'react';
import { Link, usePath } from '../app/router';
import { socketUrl } from '../net/socket';
import { AdminContext } from './adminContext';
import { SECTIONS, sectionAt, type SectionKey } from './adminSections';
import { CleanupPanel } from './cleanup/CleanupPanel';
import { DashboardSection } from './dashboard/DashboardSection';
import { DataSection } from './data/DataSection';
import { AdminFeed } from './feed/adminFeed';
import { FeedStatus } from './feed/FeedStatus';
import { ModelsSection } from './models/ModelsSection';
import type { AdminSession } from './session/useAdminSession';
import { TrainingSection } from './training/TrainingSection';

const VIEWS: Record<SectionKey, ComponentType> = {
  dashboard: DashboardSection,
  data: DataSection,
  training: TrainingSection,
  models: ModelsSection,
  cleanup: CleanupPanel,
};

/**
 * The signed-in portal: header with the feed state and sign-out, the section tabs, and the
 * section at the current address. It owns the /ws/admin connection while mounted. Loaded on
 * demand (it carries the charting library), so players never download it.
 */
export default function AdminShell({ session, email }: { readonly session: AdminSession; readonly email: string }) {
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
