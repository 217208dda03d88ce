import { useEffect } from 'react';
import type { Achievement } from '../game/achievements';

/** Announces the oldest new achievement for a few seconds; it floats, so nothing moves. */
export function AchievementToast({ toasts, onDone }: { toasts: readonly Achievement[]; onDone: () => void }) {
  const current = toasts[0];
  useEffect(() => {
    if (!current) return;
    const timer = setTimeout(onDone, 4500);
    return () => clearTimeout(timer);
  }, [current, onDone]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {current ? (
        <div className="toast" data-testid="achievement-toast" data-achievement={current.id}>
          <span className="toast-badge" aria-hidden="true">
            {current.badge}
          </span>
          <div>
            <p className="toast-title">Achievement unlocked: {current.title}</p>
            <p className="toast-text">{current.description}</p>
          </div>
          <button type="button" className="icon-button" onClick={onDone} aria-label="Dismiss achievement">
            ✕
          </button>
        </div>
      ) : null}
    </div>
  );
}
