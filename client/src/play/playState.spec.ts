import { describe, expect, it } from 'vitest';
import { EMPTY_PROGRESS } from '../game/progress';
import type { AckFrame, ErrorFrame, WelcomeFrame } from '../protocol';
import type { OutboxEntry } from '../outbox/outbox';
import type { PlayEvent } from '../net/playSession';
import { initialPlayState, playReducer, type PlayAction, type PlayState } from './playState';

const DAY = '2026-03-01';
const heart = { id: 5, name: 'heart', description: '' };
const circle = { id: 2, name: 'circle', description: '' };

const welcome = (over: Partial<WelcomeFrame> = {}): PlayEvent => ({
  type: 'welcome',
  resumed: false,
  frame: {
    type: 'welcome',
    session: 's',
    user: 'u',
    nickname: 'Brave Otter',
    prompt: heart,
    stats: { total: 0, session: 0, today: 0 },
    streak: { current: 0, best: 0, days: 0 },
    ...over,
  },
});

const entry = { key: 'k1' } as OutboxEntry;

const ack = (key: string, over: Partial<AckFrame> = {}, counted = true): PlayEvent => ({
  type: 'ack',
  entry: counted ? { ...entry, key } : undefined,
  frame: {
    type: 'ack',
    key,
    id: `d-${key}`,
    shape: 'heart',
    quality: 0.9,
    next: circle,
    streak: { current: 1, best: 3, days: 1 },
    stats: { total: 1, session: 1, today: 1 },
    ...over,
  },
});

const err = (code: string, key?: string): ErrorFrame => ({
  type: 'error',
  code,
  message: `${code} happened`,
  fatal: false,
  ...(key ? { key } : {}),
});

const ACTIONS = new Set(['submitted', 'save-failed', 'drawing-reset', 'toast-done', 'dismiss-feedback']);

/** Reduces player actions and session events (wrapped as `event` actions) in order. */
function run(steps: (PlayAction | PlayEvent)[], start = initialPlayState(EMPTY_PROGRESS, [])): PlayState {
  return steps.reduce<PlayState>(
    (s, step) =>
      playReducer(
        s,
        ACTIONS.has(step.type) ? (step as PlayAction) : { type: 'event', event: step as PlayEvent, day: DAY },
      ),
    start,
  );
}

const online: PlayEvent = { type: 'status', status: { state: 'open', attempt: 0 }, ready: true };
const offline: PlayEvent = { type: 'status', status: { state: 'waiting', attempt: 1, retryAt: 5000 }, ready: false };

describe('playReducer', () => {
  it('shows the prompt, nickname and counters from welcome', () => {
    const s = run([online, welcome({ stats: { total: 4, session: 0, today: 2 } })]);
    expect(s).toMatchObject({ connection: 'online', nickname: 'Brave Otter', prompt: heart, stats: { total: 4 } });
  });

  it('keeps the prompt on screen when a later welcome resumes the session', () => {
    const s = run([welcome(), welcome({ prompt: circle })]);
    expect(s.prompt).toEqual(heart);
  });

  it('unlocks what the server already counts without announcing it', () => {
    const s = run([welcome({ stats: { total: 12, session: 0, today: 0 } })]);
    expect(s.unlocked).toEqual(expect.arrayContaining(['first-drawing', 'ten-drawings']));
    expect(s.toasts).toEqual([]);
  });

  it('goes from sending to accepted, with the next prompt and the streak', () => {
    let s = run([online, welcome(), { type: 'submitted', key: 'k1', sent: true }]);
    expect(s.feedback).toEqual({ kind: 'sending', key: 'k1' });
    s = run([ack('k1')], s);
    expect(s.feedback).toMatchObject({ kind: 'accepted', id: 'd-k1', next: circle, streak: { current: 1 } });
    expect(s.prompt).toEqual(circle);
    expect(s.pendingKey).toBeNull();
    expect(s.progress.session).toEqual({ heart: 1 });
    expect(s.progress.today).toEqual({ heart: 1 });
  });

  it('announces an achievement the ack crosses, once', () => {
    let s = run([welcome(), { type: 'submitted', key: 'k1', sent: true }, ack('k1')]);
    expect(s.toasts.map((a) => a.id)).toEqual(['first-drawing']);
    s = run([{ type: 'toast-done' }, { type: 'submitted', key: 'k2', sent: true }, ack('k2', { stats: { total: 2, session: 2, today: 2 } })], s);
    expect(s.toasts).toEqual([]);
  });

  it('does not count a repeated ack twice', () => {
    const s = run([welcome(), { type: 'submitted', key: 'k1', sent: true }, ack('k1'), ack('k1', {}, false)]);
    expect(s.progress.session).toEqual({ heart: 1 });
  });

  it('says a drawing submitted offline is saved and waiting', () => {
    const s = run([offline, { type: 'submitted', key: 'k1', sent: false }]);
    expect(s.connection).toBe('offline');
    expect(s.retryAt).toBe(5000);
    expect(s.feedback).toEqual({ kind: 'queued', key: 'k1' });
  });

  it('turns "sending" into "queued" when the connection drops before the ack', () => {
    const s = run([online, welcome(), { type: 'submitted', key: 'k1', sent: true }, offline]);
    expect(s.feedback).toEqual({ kind: 'queued', key: 'k1' });
  });

  it('reports drawings from earlier that reached the server', () => {
    const s = run([welcome(), ack('old1'), ack('old2')]);
    expect(s.feedback).toEqual({ kind: 'delivered', count: 2 });
  });

  it('explains a refused drawing', () => {
    const s = run([
      { type: 'submitted', key: 'k1', sent: true },
      { type: 'rejected', error: { ...err('invalid_drawing', 'k1'), details: [{ field: 'strokes', message: 'empty' }] }, entry: undefined },
    ]);
    expect(s.feedback).toEqual({ kind: 'rejected', message: 'invalid_drawing happened', details: [{ field: 'strokes', message: 'empty' }] });
    expect(s.pendingKey).toBeNull();
  });

  it('says when the server deferred a drawing', () => {
    const s = run([{ type: 'deferred', error: err('unavailable', 'k1'), retryInMs: 2000 }]);
    expect(s.feedback).toEqual({ kind: 'deferred', message: 'unavailable happened', retryInMs: 2000 });
  });

  it('shows the best guess and forgets it when the drawing is reset', () => {
    let s = run([online, { type: 'guess', frame: { type: 'guess', predictions: [['circle', 0.87], ['heart', 0.1]], model: '1' } }]);
    expect(s.guess).toEqual({ shape: 'circle', confidence: 0.87 });
    s = playReducer(s, { type: 'drawing-reset' });
    expect(s.guess).toBeNull();
  });

  it('tracks the outbox count', () => {
    expect(run([{ type: 'outbox', count: 3 }]).outboxCount).toBe(3);
  });

  it('keeps the drawing and says so when it could not be saved', () => {
    expect(run([{ type: 'save-failed', message: 'QuotaExceededError' }]).feedback).toEqual({
      kind: 'save-failed',
      message: 'QuotaExceededError',
    });
  });
});
