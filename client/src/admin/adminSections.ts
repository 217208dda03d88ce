/** The admin area's own pages under /admin, and which one a path shows. */

export type SectionKey = 'dashboard' | 'data' | 'training' | 'models' | 'cleanup';

export interface Section {
  readonly key: SectionKey;
  readonly path: string;
  readonly label: string;
}

export const SECTIONS: readonly Section[] = [
  { key: 'dashboard', path: '/admin', label: 'Dashboard' },
  { key: 'data', path: '/admin/data', label: 'Data' },
  { key: 'training', path: '/admin/training', label: 'Training' },
  { key: 'models', path: '/admin/models', label: 'Models' },
  { key: 'cleanup', path: '/admin/cleanup', label: 'Cleanup' },
];

/** The section at `path` ("/admin/models" -> models), or null for an unknown admin page. */
export function sectionAt(path: string): Section | null {
  const clean = path.replace(/\/+$/, '') || '/';
  return SECTIONS.find((s) => s.path === clean) ?? null;
}
