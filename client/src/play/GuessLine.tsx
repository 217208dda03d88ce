import { withArticle } from '../game/shapes';
import type { Guess } from './playState';

/**
 * What the live model thinks of the drawing. The line always takes its height, empty or not,
 * so a guess arriving or leaving never moves the buttons under the player's finger.
 */
export function GuessLine({ guess, target }: { guess: Guess | null; target: string | undefined }) {
  const pct = guess ? Math.round(guess.confidence * 100) : 0;
  const match = guess !== null && guess.shape === target;
  return (
    <p className={`guess ${match ? 'is-match' : ''}`} data-testid="guess" data-shape={guess?.shape ?? ''} aria-live="polite">
      {guess ? (
        <>
          I think it's {withArticle(guess.shape)} ({pct}%){match ? ' ✓' : ''}
        </>
      ) : null}
    </p>
  );
}
