const TONES: Record<string, string> = {
  pending: 'badge',
  queued: 'badge',
  running: 'badge badge-primary',
  succeeded: 'badge badge-success',
  failed: 'badge badge-error',
  cancelled: 'badge badge-warning',
};

export function JobStatusBadge({ status }: { readonly status: string }) {
  return (
    <span className={TONES[status] ?? 'badge'} data-testid="job-status">
      {status === 'running' ? <span className="spinner" aria-hidden="true" /> : null}
      {status}
    </span>
  );
}
