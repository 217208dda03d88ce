import { Link } from './router';

const LINKS = [
  { to: '/play', label: 'Play' },
  { to: '/watch', label: 'Watch' },
  { to: '/lab', label: 'Lab' },
  { to: '/admin', label: 'Admin' },
] as const;

export function Nav({ section }: { section: string }) {
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/play" className="brand" aria-label="Drawstream home">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <rect width="32" height="32" rx="8" fill="currentColor" />
          <path d="M7 21c3-9 6-11 9-6s6 3 9-6" fill="none" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
        </svg>
        <span>Drawstream</span>
      </Link>
      <nav aria-label="Main">
        <ul className="nav-links">
          {LINKS.map((l) => (
            <li key={l.to}>
              <Link to={l.to} aria-current={section === l.to ? 'page' : undefined} data-testid={`nav-${l.label.toLowerCase()}`}>
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
