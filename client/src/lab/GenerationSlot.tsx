import { useId, useState } from 'react';
import { SHAPES, withArticle } from '../game/shapes';
import { GeneratedReplay } from './GeneratedReplay';
import {
  DEFAULT_TEMPERATURE,
  MAX_TEMPERATURE,
  MIN_TEMPERATURE,
  parseSeed,
  requestGeneration,
  type GenerateForm,
  type Generated,
} from './generateRequest';

type Status = { readonly kind: 'idle' | 'busy' } | { readonly kind: 'problem'; readonly message: string };

/**
 * Generation: pick a shape, a temperature and (optionally) a seed; the active generator's
 * drawing is drawn stroke by stroke at its own pace, with what the active classifier thinks
 * of it. "Another" asks again with a fresh seed; the seed shown brings any drawing back.
 */
export function GenerationSlot() {
  const id = useId();
  const [form, setForm] = useState<GenerateForm>({ shape: 'circle', temperature: DEFAULT_TEMPERATURE, seed: '' });
  const [generated, setGenerated] = useState<Generated | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [replays, setReplays] = useState(0);
  const seedValid = parseSeed(form.seed) !== undefined;

  const run = async (wanted: GenerateForm) => {
    setStatus({ kind: 'busy' });
    const outcome = await requestGeneration(wanted);
    if (outcome.ok) {
      setGenerated(outcome.generated);
      setReplays((n) => n + 1);
      setStatus({ kind: 'idle' });
    } else {
      setStatus({ kind: 'problem', message: outcome.message });
    }
  };
  const verdict = generated?.verdict;
  const agrees = verdict && generated ? verdict.shape === generated.shape : false;

  return (
    <section className="lab-card lab-generate" aria-labelledby="lab-generate-heading" data-testid="lab-generation">
      <h2 id="lab-generate-heading">Generate</h2>
      <form
        className="lab-generate-form"
        onSubmit={(e) => {
          e.preventDefault(); // Enter in the seed box
          if (seedValid && status.kind !== 'busy') void run(form);
        }}
      >
        <label htmlFor={`${id}-shape`}>Shape</label>
        <select id={`${id}-shape`} value={form.shape} onChange={(e) => setForm({ ...form, shape: e.target.value })} data-testid="lab-generate-shape">
          {SHAPES.map((s) => (
            <option key={s.id} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-temperature`}>Temperature {form.temperature.toFixed(1)}</label>
        <input
          id={`${id}-temperature`}
          type="range"
          min={MIN_TEMPERATURE}
          max={MAX_TEMPERATURE}
          step={0.1}
          value={form.temperature}
          onChange={(e) => setForm({ ...form, temperature: Number(e.target.value) })}
          data-testid="lab-generate-temperature"
        />
        <label htmlFor={`${id}-seed`}>Seed</label>
        <input
          id={`${id}-seed`}
          inputMode="numeric"
          placeholder="random"
          value={form.seed}
          aria-invalid={!seedValid}
          onChange={(e) => setForm({ ...form, seed: e.target.value })}
          data-testid="lab-generate-seed"
        />
        <div className="toolbar">
          <button
            type="button"
            className="btn btn-primary"
            disabled={status.kind === 'busy' || !seedValid}
            onClick={() => void run(form)}
            data-testid="lab-generate"
          >
            Generate
          </button>
          <button
            type="button"
            className="btn"
            disabled={status.kind === 'busy' || generated === null}
            onClick={() => {
              setForm({ ...form, seed: '' });
              void run({ ...form, seed: '' });
            }}
            data-testid="lab-generate-another"
          >
            Another
          </button>
          <button type="button" className="btn" disabled={generated === null} onClick={() => setReplays((n) => n + 1)}>
            Replay
          </button>
        </div>
      </form>
      {status.kind === 'problem' ? (
        <p className="lab-problem" role="status" data-testid="lab-generate-problem">
          {status.message}
        </p>
      ) : null}
      {generated ? (
        <>
          <GeneratedReplay
            strokes={generated.strokes}
            canvas={generated.canvas}
            replayKey={replays}
            label={`A generated drawing of ${withArticle(generated.shape)}, ${generated.strokes.length} strokes`}
          />
          <p className="lab-answer" aria-live="polite" data-testid="lab-generate-verdict" data-shape={verdict?.shape ?? ''}>
            {verdict
              ? `The classifier sees ${withArticle(verdict.shape)} (${Math.round(verdict.confidence * 100)}%)${agrees ? '' : ', not ' + withArticle(generated.shape)}`
              : 'No classifier is loaded to judge it.'}
          </p>
          <dl className="lab-facts">
            <dt>Seed</dt>
            <dd data-testid="lab-generate-used-seed">{generated.seed}</dd>
            <dt>Generator</dt>
            <dd>v{generated.modelVersion}</dd>
            <dt>Generated in</dt>
            <dd>{generated.generationTimeMs.toFixed(1)} ms</dd>
          </dl>
        </>
      ) : (
        <p className="lab-muted">Pick a shape and watch the generator model draw it stroke by stroke, at its own pace.</p>
      )}
    </section>
  );
}
