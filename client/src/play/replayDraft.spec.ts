import { describe, expect, it } from 'vitest';
import { Draft } from '../drawing/draft';
import { canvasPoint } from '../geometry/types';
import { replayDraft, type DraftSink } from './replayDraft';

function sink() {
  const sent: string[] = [];
  const s: DraftSink = {
    sendClear: () => (sent.push('clear'), true),
    sendPoints: (stroke, points) => (sent.push(`points ${stroke} x${points.x.length}`), true),
    sendEnd: (stroke) => (sent.push(`end ${stroke}`), true),
  };
  return { s, sent };
}

const size = { width: 100, height: 100 };
const at = (x: number, time: number) => ({ point: canvasPoint(x, x), time, pressure: 0.5 });

describe('replayDraft', () => {
  it('sends nothing for a fresh session with nothing drawn', () => {
    const { s, sent } = sink();
    replayDraft(s, new Draft(), false);
    expect(sent).toEqual([]);
  });

  it('clears what a resumed session kept when the screen is empty', () => {
    const { s, sent } = sink();
    replayDraft(s, new Draft(), true);
    expect(sent).toEqual(['clear']);
  });

  it('replaces the server\u2019s copy with every stroke, leaving the one being drawn open', () => {
    const d = new Draft();
    d.begin(at(1, 0), size, 'mouse', 0);
    d.add(at(2, 1));
    d.end();
    d.begin(at(5, 10), size, 'mouse', 0);
    const { s, sent } = sink();
    replayDraft(s, d, true);
    expect(sent).toEqual(['clear', 'points 0 x2', 'end 0', 'points 1 x1']);
    // The open stroke's later points continue from where the replay stopped.
    expect(d.takeBatch()).toBeNull();
    d.add(at(6, 11));
    expect(d.takeBatch()).toMatchObject({ stroke: 1, first: false });
  });
});
