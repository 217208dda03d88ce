import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { SHAPE_NAMES } from '../../game/shapes';
import { useAdmin } from '../adminContext';
import { ApiError } from '../api/adminClient';
import { startTraining } from '../api/endpoints';
import {
  DEFAULT_TRAINING_FORM,
  MODEL_KINDS,
  PARAM_FIELDS,
  trainingRequestBody,
  validateTrainingForm,
  withParam,
  type TrainingForm as Form,
  type TrainingFormErrors,
} from '../api/trainingRequest';
import type { TrainingJob } from '../api/types';

interface Props {
  readonly onStarted: (job: TrainingJob) => void;
}

/**
 * The job config: which kind of model, which shapes, how long and how big (each kind's own
 * numbers), which drawings (quality, dates, synthetic).
 */
export function TrainingForm({ onStarted }: Props) {
  const { client } = useAdmin();
  const id = useId();
  const [form, setForm] = useState<Form>(DEFAULT_TRAINING_FORM);
  const [errors, setErrors] = useState<TrainingFormErrors>({});
  const [serverError, setServerError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateTrainingForm(form);
    setErrors(found);
    setServerError(null);
    if (Object.keys(found).length > 0) {
      document.getElementById(`${id}-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      onStarted(await startTraining(client, trainingRequestBody(form)));
    } catch (err) {
      setServerError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  type ErrorKey = keyof TrainingFormErrors;
  const describedBy = (k: ErrorKey) => (errors[k] ? `${id}-${k}-error` : undefined);
  const fieldError = (k: ErrorKey) =>
    errors[k] ? (
      <span id={`${id}-${k}-error`} className="field-error">
        {errors[k]}
      </span>
    ) : null;
  const toggleShape = (name: string, on: boolean) =>
    set('shapes', on ? SHAPE_NAMES.filter((s) => s === name || form.shapes.includes(s)) : form.shapes.filter((s) => s !== name));

  return (
    <form className="training-form card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`} data-testid="training-form">
      <h3 id={`${id}-title`}>New training job</h3>
      <fieldset className="field">
        <legend>Model kind</legend>
        <div className="check-row">
          {MODEL_KINDS.map((k) => (
            <label key={k.kind} className="check">
              <input
                type="radio"
                name={`${id}-kind`}
                value={k.kind}
                checked={form.kind === k.kind}
                onChange={() => {
                  // The other kind's problems are not this form's any more.
                  setErrors({});
                  set('kind', k.kind);
                }}
                data-testid={`training-kind-${k.kind}`}
              />
              {k.label}
            </label>
          ))}
        </div>
        <span className="muted small">A {form.kind} {MODEL_KINDS.find((k) => k.kind === form.kind)?.description}.</span>
      </fieldset>
      <fieldset className="field" aria-describedby={describedBy('shapes')}>
        <legend>{form.kind === 'classifier' ? <>Shapes (the model&rsquo;s classes)</> : 'Shapes (what it learns to draw)'}</legend>
        <div className="check-row" id={`${id}-shapes`} tabIndex={-1}>
          {SHAPE_NAMES.map((name) => (
            <label key={name} className="check">
              <input type="checkbox" checked={form.shapes.includes(name)} onChange={(e) => toggleShape(name, e.target.checked)} data-testid={`training-shape-${name}`} />
              {name}
            </label>
          ))}
        </div>
        {fieldError('shapes')}
      </fieldset>
      <div className="form-grid">
        {/* Keyed by kind: a switch shows that kind's own numbers, not the other's typed text. */}
        {PARAM_FIELDS[form.kind].map((f) => (
          <NumberField
            key={`${form.kind}-${f.key}`}
            id={`${id}-${f.key}`}
            label={f.label}
            value={form.params[form.kind][f.key] ?? Number.NaN}
            step={f.step}
            min={f.min}
            max={f.max}
            onChange={(v) => setForm((current) => withParam(current, f.key, v))}
            testId={f.testId}
            error={fieldError(f.key)}
            describedBy={describedBy(f.key)}
          />
        ))}
        <NumberField id={`${id}-minQuality`} label="Minimum quality" value={form.minQuality} step={0.05} min={0} max={1} onChange={(v) => set('minQuality', v)} testId="training-min-quality" error={fieldError('minQuality')} describedBy={describedBy('minQuality')} />
        <div className="field">
          <label htmlFor={`${id}-from`}>Drawings from</label>
          <input id={`${id}-from`} type="date" value={form.from} onChange={(e) => set('from', e.target.value)} aria-invalid={Boolean(errors.from)} aria-describedby={describedBy('from')} data-testid="training-from" />
          {fieldError('from')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>Drawings to</label>
          <input id={`${id}-to`} type="date" value={form.to} onChange={(e) => set('to', e.target.value)} aria-invalid={Boolean(errors.to)} aria-describedby={describedBy('to')} data-testid="training-to" />
          {fieldError('to')}
        </div>
      </div>
      <div className="check-row">
        <label className="check">
          <input type="checkbox" checked={form.includeSynthetic} onChange={(e) => set('includeSynthetic', e.target.checked)} data-testid="training-synthetic" />
          Include synthetic drawings
        </label>
        <label className="check">
          <input type="checkbox" checked={form.includeGenerated} onChange={(e) => set('includeGenerated', e.target.checked)} data-testid="training-generated" />
          Include model-generated drawings
        </label>
      </div>
      <p className="muted small">Flagged and deleted drawings are never used, whatever the filters say.</p>
      <div aria-live="assertive">
        {serverError ? (
          <div className="notice notice-error" data-testid="training-error">
            <span>
              {serverError.message}
              {serverError instanceof ApiError && serverError.details.length ? (
                <ul>
                  {serverError.details.map((d) => (
                    <li key={`${d.field}:${d.message}`}>
                      <code>{d.field}</code>: {d.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </span>
          </div>
        ) : null}
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="training-start">
        {busy ? <span className="spinner" aria-hidden="true" /> : null}
        Start training
      </button>
    </form>
  );
}

function NumberField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly step: number;
  readonly min: number;
  readonly max: number;
  readonly onChange: (v: number) => void;
  readonly testId: string;
  readonly error: ReactNode;
  readonly describedBy: string | undefined;
}) {
  const [text, setText] = useState(String(props.value));
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        step={props.step}
        min={props.min}
        max={props.max}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value));
        }}
        aria-invalid={Boolean(props.error)}
        aria-describedby={props.describedBy}
        data-testid={props.testId}
      />
      {props.error}
    </div>
  );
}
