import { useCallback, useEffect, useState } from 'react';
import { withArticle } from '../game/shapes';
import { localStore } from '../identity/localState';
import { AchievementToast } from './AchievementToast';
import { DrawingCanvas } from './DrawingCanvas';
import { FeedbackPanel } from './FeedbackPanel';
import { GuessLine } from './GuessLine';
import { Instructions } from './Instructions';
import { PromptHeader } from './PromptHeader';
import { StatsPanel } from './StatsPanel';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import { usePlayGame } from './usePlayGame';

const INSTRUCTIONS_KEY = 'drawstream.instructions';

export function PlayPage() {
  const game = usePlayGame();
  const { state, draftShape } = game;
  const [showHelp, setShowHelp] = useState(() => localStore().getItem(INSTRUCTIONS_KEY) !== 'dismissed');

  const dismissHelp = useCallback(() => {
    localStore().setItem(INSTRUCTIONS_KEY, 'dismissed');
    setShowHelp(false);
  }, []);

  const { undo, submit } = game;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      if (e.key.toLowerCase() === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        void submit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, submit]);

  const shape = state.prompt?.name;
  const hasStrokes = draftShape.strokes > 0;
  const label = shape
    ? `Drawing canvas: draw ${withArticle(shape)}. ${draftShape.strokes} ${draftShape.strokes === 1 ? 'stroke' : 'strokes'} drawn.`
    : 'Drawing canvas';

  return (
    <main id="main" className="page play" tabIndex={-1}>
      <section className="play-board" aria-labelledby="prompt-heading">
        <PromptHeader prompt={state.prompt} nickname={state.nickname} />
        <StatusBar
          connection={state.connection}
          outboxCount={state.outboxCount}
          outboxVisible={game.outboxVisible}
          durableOutbox={game.durableOutbox}
          onRetry={game.retry}
        />
        <DrawingCanvas draft={game.draft} callbacks={game.surface} enabled={!showHelp && !game.saving} label={label}>
          {!hasStrokes && !showHelp ? (
            <p className="canvas-hint" aria-hidden="true">
              {shape ? `Draw ${withArticle(shape)} here` : 'Draw here'}
            </p>
          ) : null}
          {draftShape.full ? (
            <p className="canvas-full" role="status">
              This drawing is as big as it can get: submit it or undo.
            </p>
          ) : null}
          {showHelp ? <Instructions onDismiss={dismissHelp} /> : null}
        </DrawingCanvas>
        <GuessLine guess={state.guess} target={shape} />
        <Toolbar
          canUndo={hasStrokes && !draftShape.drawing}
          canSubmit={hasStrokes && !draftShape.drawing && state.prompt !== null}
          saving={game.saving}
          onUndo={game.undo}
          onClear={game.clear}
          onSubmit={() => void game.submit()}
        />
        <FeedbackPanel feedback={state.feedback} onRetry={game.retry} />
      </section>
      <aside className="play-side" aria-label="Your progress">
        <StatsPanel
          stats={state.stats}
          streak={state.streak}
          progress={state.progress}
          unlocked={state.unlocked}
          currentShape={shape}
        />
        <button type="button" className="link-button" onClick={() => setShowHelp(true)} data-testid="help-button">
          How to play
        </button>
      </aside>
      <AchievementToast toasts={state.toasts} onDone={game.toastDone} />
    </main>
  );
}
