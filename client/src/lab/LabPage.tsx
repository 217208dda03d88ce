import { useEffect } from 'react';
import { DrawingCanvas } from '../play/DrawingCanvas';
import { ApiExamples } from './ApiExamples';
import { GenerationSlot } from './GenerationSlot';
import { median } from './labState';
import { ModelCard } from './ModelCard';
import { ProbabilityBars } from './ProbabilityBars';
import { TryHistory } from './TryHistory';
import { useLabClassifier } from './useLabClassifier';
import './lab.css';

/**
 * The implementor lab: draw, and watch the live model's probability for every shape move with
 * each stroke (over /ws/classify), with the latency of each answer, the model's version and
 * accuracy, the history of tries, and copyable examples for every inference endpoint.
 */
export function LabPage() {
  const lab = useLabClassifier();
  const { state, undo, newTry } = lab;
  const top = state.predictions[0];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);

  return (
    <main id="main" className="page lab" tabIndex={-1} data-testid="lab-page">
      <header className="lab-header">
        <h1>Lab</h1>
        <p className="lab-muted">Draw any of the shapes: the live model answers as you draw.</p>
      </header>
      <section className="lab-board" aria-label="Live recognition">
        <DrawingCanvas draft={lab.draft} callbacks={lab.surface} enabled label="Lab canvas: draw a shape to classify it">
          {lab.strokes === 0 ? (
            <p className="canvas-hint" aria-hidden="true">
              Draw here
            </p>
          ) : null}
        </DrawingCanvas>
        <p className="lab-answer" aria-live="polite" data-testid="lab-answer" data-shape={top?.[0] ?? ''}>
          {state.noModel
            ? 'No model is loaded.'
            : top
              ? `Looks like a ${top[0]} (${Math.round(top[1] * 100)}%)`
              : 'Waiting for your drawing…'}
        </p>
        <ProbabilityBars model={state.model} predictions={state.predictions} />
        <div className="toolbar" role="toolbar" aria-label="Drawing tools">
          <button type="button" className="btn" onClick={undo} disabled={lab.strokes === 0 || lab.drawing}>
            <span aria-hidden="true">↶</span> Undo
          </button>
          <button type="button" className="btn btn-primary" onClick={newTry} disabled={lab.strokes === 0 || lab.drawing} data-testid="lab-new-try">
            New try
          </button>
        </div>
        {state.problem ? (
          <p className="lab-problem" role="status">
            {state.problem}
          </p>
        ) : null}
      </section>
      <aside className="lab-side">
        <ModelCard
          model={state.model}
          noModel={state.noModel}
          connection={state.connection}
          latencyMs={state.latencyMs}
          serverMs={state.serverMs}
          medianMs={median(state.recentMs)}
        />
        <TryHistory tries={state.tries} />
        <GenerationSlot />
      </aside>
      <ApiExamples origin={window.location.origin} />
    </main>
  );
}
