import { useEffect, useRef } from 'react';

/** The first-visit explanation, laid over the canvas until dismissed. */
export function Instructions({ onDismiss }: { onDismiss: () => void }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    button.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section className="instructions" role="dialog" aria-modal="false" aria-labelledby="instructions-title" data-testid="instructions">
      <h2 id="instructions-title">How to play</h2>
      <ol>
        <li>Draw the shape named above, with your mouse, finger or pen.</li>
        <li>Slipped? Undo the last stroke or clear the canvas.</li>
        <li>Press Submit. Your drawing joins an open dataset that teaches a model to recognise shapes.</li>
      </ol>
      <p className="instructions-note">
        Drawings are kept on this device until the server confirms them, so nothing is lost if your connection drops. No
        personal data is collected; you play under a generated nickname.
      </p>
      <button ref={button} type="button" className="btn btn-primary" onClick={onDismiss} data-testid="instructions-dismiss">
        Got it, let’s draw
      </button>
    </section>
  );
}
