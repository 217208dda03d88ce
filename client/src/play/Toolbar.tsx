export interface ToolbarProps {
  readonly canUndo: boolean;
  readonly canSubmit: boolean;
  readonly saving: boolean;
  readonly onUndo: () => void;
  readonly onClear: () => void;
  readonly onSubmit: () => void;
}

export function Toolbar({ canUndo, canSubmit, saving, onUndo, onClear, onSubmit }: ToolbarProps) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Drawing tools">
      <button type="button" className="btn" onClick={onUndo} disabled={!canUndo} aria-keyshortcuts="Control+Z Meta+Z" data-testid="undo-button">
        <span aria-hidden="true">↶</span> Undo
      </button>
      <button type="button" className="btn" onClick={onClear} disabled={!canUndo} data-testid="clear-button">
        <span aria-hidden="true">✕</span> Clear
      </button>
      <button
        type="button"
        className="btn btn-primary"
        onClick={onSubmit}
        disabled={!canSubmit || saving}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        data-testid="submit-button"
      >
        {saving ? 'Saving…' : 'Submit'}
      </button>
    </div>
  );
}
