import type { Draft } from '../drawing/draft';
import type { PlaySession } from '../net/playSession';

export type DraftSink = Pick<PlaySession, 'sendClear' | 'sendPoints' | 'sendEnd'>;

/**
 * Brings a (re)connected session's copy of the drawing in progress up to date with the
 * screen: whatever the server kept from before the disconnect is cleared, then every stroke is
 * sent whole (one `points` frame each) and ended, except one still being drawn, whose next
 * batches follow as usual.
 */
export function replayDraft(session: DraftSink, draft: Draft, resumed: boolean): void {
  if (draft.isEmpty) {
    if (resumed) session.sendClear();
    return;
  }
  session.sendClear();
  const strokes = draft.toWire();
  strokes.forEach((s, i) => {
    session.sendPoints(i, s, { color: s.color ?? '#1e1e1e', width: s.width ?? 4 });
    const open = draft.isDrawing && i === strokes.length - 1;
    if (!open) session.sendEnd(i);
  });
  draft.markAllSent();
}
