import { useEffect, useRef, type ComponentType } from 'react';
import { AdminPage } from '../admin/AdminPage';
import { LabPage } from '../lab/LabPage';
import { PlayPage } from '../play/PlayPage';
import { WatchPage } from '../watch/WatchPage';
import { Nav } from './Nav';
import { navigate, sectionOf, usePath } from './router';

const ROUTES: Record<string, { page: ComponentType; title: string }> = {
  '/play': { page: PlayPage, title: 'Play' },
  '/watch': { page: WatchPage, title: 'Watch live' },
  '/lab': { page: LabPage, title: 'Lab' },
  '/admin': { page: AdminPage, title: 'Admin' },
};

function NotFound() {
  return (
    <main id="main" className="page placeholder" tabIndex={-1}>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/play">Start drawing</a> instead.
      </p>
    </main>
  );
}

export function App() {
  const path = usePath();
  const section = sectionOf(path);
  const route = ROUTES[section];
  const first = useRef(true);

  useEffect(() => {
    if (path === '/') navigate('/play', { replace: true });
  }, [path]);

  useEffect(() => {
    document.title = route ? `${route.title} · Drawstream` : 'Not found · Drawstream';
    // After an in-app navigation, move focus to the new page so screen readers announce it.
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path, route]);

  const Page = route?.page ?? (path === '/' ? null : NotFound);
  return (
    <>
      <Nav section={section} />
      {Page ? <Page /> : null}
    </>
  );
}
