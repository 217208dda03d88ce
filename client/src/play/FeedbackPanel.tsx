import { withArticle } from '../game/shapes';
import type { Feedback } from './playState';

export interface FeedbackPanelProps {
  readonly feedback: Feedback | null;
  readonly onRetry: () => void;
}

function Retry({ onRetry }: { onRetry: () => void }) {
  return (
    <button type="button" className="btn btn-small" onClick={onRetry} data-testid="retry-button">
      Retry now
    </button>
  );
}

function Body({ feedback, onRetry }: { feedback: Feedback; onRetry: () => void }) {
  switch (feedback.kind) {
    case 'sending':
      return (
        <p className="feedback-line">
          <span className="spinner" aria-hidden="true" /> Sending your drawing…
        </p>
      );
    case 'accepted':
      return (
        <div data-testid="ack-message" data-drawing-id={feedback.id} data-shape={feedback.shape}>
          <p className="feedback-title">
            <span aria-hidden="true">✓</span> Nice {feedback.shape}! Saved to the dataset.
          </p>
          <p className="feedback-line">
            {feedback.streak.current > 1 ? (
              <span className="streak-chip">🔥 {feedback.streak.current} in a row</span>
            ) : null}{' '}
            Next: <strong data-testid="next-prompt" data-shape={feedback.next.name}>draw {withArticle(feedback.next.name)}</strong>
          </p>
        </div>
      );
    case 'queued':
      return (
        <div data-testid="queued-message">
          <p className="feedback-title">Saved on this device.</p>
          <p className="feedback-line">
            We can’t reach the server right now; your drawing will be sent as soon as we can. <Retry onRetry={onRetry} />
          </p>
        </div>
      );
    case 'deferred':
      return (
        <div data-testid="deferred-message">
          <p className="feedback-title">The server couldn’t take it just now.</p>
          <p className="feedback-line">
            {feedback.message} Your drawing is safe here and will be sent again
            {feedback.retryInMs !== null ? ` in ${Math.ceil(feedback.retryInMs / 1000)} s` : ' on the next connection'}.{' '}
            <Retry onRetry={onRetry} />
          </p>
        </div>
      );
    case 'rejected':
      return (
        <div data-testid="rejected-message">
          <p className="feedback-title">That drawing wasn’t accepted.</p>
          <p className="feedback-line">{feedback.message}</p>
          {feedback.details.length > 0 ? (
            <ul className="feedback-details">
              {feedback.details.map((d, i) => (
                <li key={i}>
                  {d.field ? <code>{d.field}</code> : null} {d.message}
                </li>
              ))}
            </ul>
          ) : null}
          <p className="feedback-line">Please draw it again.</p>
        </div>
      );
    case 'delivered':
      return (
        <p className="feedback-title" data-testid="delivered-message">
          <span aria-hidden="true">✓</span> {feedback.count} saved {feedback.count === 1 ? 'drawing' : 'drawings'} sent.
        </p>
      );
    case 'save-failed':
      return (
        <div data-testid="save-failed-message">
          <p className="feedback-title">Couldn’t save your drawing on this device.</p>
          <p className="feedback-line">
            {feedback.message}. It is still on the canvas: press Submit to try again.
          </p>
        </div>
      );
  }
}

/** The answer to the last submit. A fixed minimum height keeps the page from jumping. */
export function FeedbackPanel({ feedback, onRetry }: FeedbackPanelProps) {
  const tone =
    feedback === null
      ? ''
      : feedback.kind === 'accepted' || feedback.kind === 'delivered'
        ? 'is-success'
        : feedback.kind === 'rejected' || feedback.kind === 'save-failed'
          ? 'is-error'
          : feedback.kind === 'sending'
            ? ''
            : 'is-warning';
  return (
    <div className={`feedback ${tone}`} role="status" aria-live="polite" data-testid="feedback" data-kind={feedback?.kind ?? ''}>
      {feedback ? <Body feedback={feedback} onRetry={onRetry} /> : null}
    </div>
  );
}
