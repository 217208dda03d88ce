/** A failed load or action, in words, with a way to try again. */
export function ErrorNotice({
  error,
  onRetry,
  testId = 'admin-error',
}: {
  readonly error: Error;
  readonly onRetry?: () => void;
  readonly testId?: string;
}) {
  return (
    <div className="notice notice-error" role="alert" data-testid={testId}>
      <span>{error.message || 'Something went wrong.'}</span>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
