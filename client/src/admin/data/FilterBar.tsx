import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { SHAPE_NAMES } from '../../game/shapes';
import { DEVICES, EMPTY_FILTER, filterToSearch, isEmptyFilter, MAX_SESSION_CHARS, parseFilter, type DrawingFilter, type TriState } from './drawingFilter';

interface Props {
  readonly filter: DrawingFilter;
  readonly onChange: (next: DrawingFilter) => void;
}

const triValue = (v: TriState) => (v === null ? '' : String(v));

/**
 * Every filter of the data browser. Selects and dates apply at once; typed fields (quality
 * bounds, session) apply on Enter or when focus leaves them, so a half-typed "0." is never
 * sent. Values go through parseFilter, so the bar and the address bar always agree.
 */
export function FilterBar({ filter, onChange }: Props) {
  const id = useId();
  const set = (patch: Partial<Record<keyof DrawingFilter, string>>) => {
    const params = new URLSearchParams(filterToSearch(filter));
    for (const [k, v] of Object.entries(patch)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    onChange(parseFilter(params));
  };

  return (
    <form className="filter-bar card" role="search" aria-label="Filter drawings" noValidate onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-shape`}>Shape</label>
        <select id={`${id}-shape`} value={filter.shape ?? ''} onChange={(e) => set({ shape: e.target.value })} data-testid="filter-shape">
          <option value="">All shapes</option>
          {SHAPE_NAMES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={filter.from ?? ''} max={filter.to ?? undefined} onChange={(e) => set({ from: e.target.value })} data-testid="filter-from" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="date" value={filter.to ?? ''} min={filter.from ?? undefined} onChange={(e) => set({ to: e.target.value })} data-testid="filter-to" />
      </div>
      <fieldset className="field field-pair">
        <legend>Quality</legend>
        <CommitInput label="Minimum quality" value={filter.qmin === null ? '' : String(filter.qmin)} onCommit={(v) => set({ qmin: v })} testId="filter-qmin" type="number" placeholder="0" />
        <span aria-hidden="true">–</span>
        <CommitInput label="Maximum quality" value={filter.qmax === null ? '' : String(filter.qmax)} onCommit={(v) => set({ qmax: v })} testId="filter-qmax" type="number" placeholder="1" />
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-flagged`}>Flagged</label>
        <select id={`${id}-flagged`} value={triValue(filter.flagged)} onChange={(e) => set({ flagged: e.target.value })} data-testid="filter-flagged">
          <option value="">Any</option>
          <option value="true">Flagged</option>
          <option value="false">Not flagged</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-deleted`}>Deleted</label>
        <select id={`${id}-deleted`} value={filter.deleted === null ? 'any' : String(filter.deleted)} onChange={(e) => set({ deleted: e.target.value })} data-testid="filter-deleted">
          <option value="false">Not deleted</option>
          <option value="true">Deleted</option>
          <option value="any">Both</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-device`}>Device</label>
        <select id={`${id}-device`} value={filter.device ?? ''} onChange={(e) => set({ device: e.target.value })} data-testid="filter-device">
          <option value="">Any</option>
          {DEVICES.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-synthetic`}>Origin</label>
        <select id={`${id}-synthetic`} value={triValue(filter.synthetic)} onChange={(e) => set({ synthetic: e.target.value })} data-testid="filter-synthetic">
          <option value="">Any</option>
          <option value="true">Synthetic</option>
          <option value="false">Players</option>
        </select>
      </div>
      <div className="field field-wide">
        <CommitInput label="Session" value={filter.session ?? ''} onCommit={(v) => set({ session: v })} testId="filter-session" type="search" placeholder="Session id" />
      </div>
      <div className="field field-action">
        <button type="button" className="btn btn-small" onClick={() => onChange(EMPTY_FILTER)} disabled={isEmptyFilter(filter)} data-testid="filter-clear">
          Clear filters
        </button>
      </div>
    </form>
  );
}

/** An input whose value is applied on Enter or blur; it follows outside changes otherwise. */
function CommitInput({
  label,
  value,
  onCommit,
  testId,
  type,
  placeholder,
}: {
  readonly label: string;
  readonly value: string;
  readonly onCommit: (v: string) => void;
  readonly testId: string;
  readonly type: 'number' | 'search';
  readonly placeholder: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft.trim() !== value) onCommit(draft.trim());
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') setDraft(value);
  };
  const numeric = type === 'number';
  return (
    <span className="commit-input">
      <label htmlFor={id} className={numeric ? 'sr-only' : undefined}>
        {label}
      </label>
      <input
        id={id}
        type={type}
        value={draft}
        placeholder={placeholder}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={onKey}
        data-testid={testId}
        {...(numeric ? { min: 0, max: 1, step: 0.05, inputMode: 'decimal' as const } : { maxLength: MAX_SESSION_CHARS, spellCheck: false })}
      />
    </span>
  );
}
