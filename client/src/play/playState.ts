/**
 * The play screen's state as a pure reducer over session events and player actions, so every
 * piece of feedback (sent, accepted, queued offline, refused, retried) is decided in one place
 * and specified without a browser.
 */

import { newlyUnlocked, unlockedIds, type Achievement, type AchievementFacts } from '../game/achievements';
import { recordAccepted, type Progress } from '../game/progress';
import type { FieldProblem, Prompt, Stats, Streak } from '../protocol';
import type { PlayEvent } from '../net/playSession';

export type Connection = 'connecting' | 'online' | 'offline';

export type Feedback =
  /** The drawing is in the outbox and on its way. */
  | { readonly kind: 'sending'; readonly key: string }
  | {
      readonly kind: 'accepted';
      readonly key: string;
      readonly id: string;
      readonly shape: string;
      readonly quality: number;
      readonly next: Prompt;
      readonly streak: Streak;
    }
  /** Saved on this device; it goes out when the connection is back. */
  | { readonly kind: 'queued'; readonly key: string }
  /** The server could not take it now; it retries by itself. */
  | { readonly kind: 'deferred'; readonly message: string; readonly retryInMs: number | null }
  /** The server refused the drawing for good. */
  | { readonly kind: 'rejected'; readonly message: string; readonly details: readonly FieldProblem[] }
  /** Drawings from earlier (offline, before a reload) were delivered. */
  | { readonly kind: 'delivered'; readonly count: number }
  /** The drawing could not be saved on this device; it is still on the canvas. */
  | { readonly kind: 'save-failed'; readonly message: string };

export interface Guess {
  readonly shape: string;
  readonly confidence: number;
}

export interface PlayState {
  readonly connection: Connection;
  /** When offline: the next reconnect attempt (epoch ms). */
  readonly retryAt: number | null;
  readonly ready: boolean;
  readonly nickname: string;
  readonly prompt: Prompt | null;
  readonly stats: Stats;
  readonly streak: Streak;
  readonly feedback: Feedback | null;
  /** The latest submit that waits for its ack. */
  readonly pendingKey: string | null;
  readonly guess: Guess | null;
  readonly outboxCount: number;
  readonly progress: Progress;
  readonly unlocked: readonly string[];
  /** Achievements to announce, oldest first. */
  readonly toasts: readonly Achievement[];
}

export type PlayAction =
  | { readonly type: 'event'; readonly event: PlayEvent; readonly day: string }
  | { readonly type: 'submitted'; readonly key: string; readonly sent: boolean }
  | { readonly type: 'save-failed'; readonly message: string }
  /** The drawing was cleared or submitted: an old guess no longer applies. */
  | { readonly type: 'drawing-reset' }
  | { readonly type: 'toast-done' }
  | { readonly type: 'dismiss-feedback' };

export function initialPlayState(progress: Progress, unlocked: readonly string[]): PlayState {
  return {
    connection: 'connecting',
    retryAt: null,
    ready: false,
    nickname: '',
    prompt: null,
    stats: { total: 0, session: 0, today: 0 },
    streak: { current: 0, best: 0, days: 0 },
    feedback: null,
    pendingKey: null,
    guess: null,
    outboxCount: 0,
    progress,
    unlocked,
    toasts: [],
  };
}

function facts(stats: Stats, streak: Streak, progress: Progress): AchievementFacts {
  return {
    total: stats.total,
    streak: streak.current,
    days: streak.days,
    shapesDrawn: new Set(progress.shapesDrawn),
  };
}

function onEvent(s: PlayState, event: PlayEvent, day: string): PlayState {
  switch (event.type) {
    case 'status': {
      const st = event.status.state;
      const connection: Connection =
        st === 'open' ? (event.ready ? 'online' : 'connecting') : st === 'connecting' ? 'connecting' : 'offline';
      // A submit that was on its way when the connection went is now waiting in the outbox.
      const feedback =
        connection === 'offline' && s.feedback?.kind === 'sending'
          ? { kind: 'queued' as const, key: s.feedback.key }
          : s.feedback;
      return {
        ...s,
        connection,
        ready: event.ready,
        retryAt: st === 'waiting' ? (event.status.retryAt ?? null) : null,
        feedback,
        guess: event.ready ? s.guess : null,
      };
    }
    case 'welcome': {
      const f = event.frame;
      // What the server already counts is unlocked quietly: no fanfare for old news.
      const known = new Set([...s.unlocked, ...unlockedIds(facts(f.stats, f.streak, s.progress))]);
      return {
        ...s,
        nickname: f.nickname,
        // A resumed connection keeps the prompt on screen: the player may be half-way through
        // drawing it. Acks bring the next prompts.
        prompt: s.prompt ?? f.prompt,
        stats: f.stats,
        streak: f.streak,
        unlocked: [...known],
      };
    }
    case 'ack': {
      const f = event.frame;
      const counted = event.entry !== undefined;
      const progress = counted ? recordAccepted(s.progress, f.shape, day) : s.progress;
      const fresh = counted ? newlyUnlocked(new Set(s.unlocked), facts(f.stats, f.streak, progress)) : [];
      const mine = f.key === s.pendingKey;
      const feedback: Feedback | null = mine
        ? { kind: 'accepted', key: f.key, id: f.id, shape: f.shape, quality: f.quality, next: f.next, streak: f.streak }
        : counted
          ? { kind: 'delivered', count: s.feedback?.kind === 'delivered' ? s.feedback.count + 1 : 1 }
          : s.feedback;
      return {
        ...s,
        prompt: f.next,
        stats: f.stats,
        streak: f.streak,
        pendingKey: mine ? null : s.pendingKey,
        feedback,
        progress,
        unlocked: [...s.unlocked, ...fresh.map((a) => a.id)],
        toasts: [...s.toasts, ...fresh],
      };
    }
    case 'rejected': {
      const mine = event.error.key === s.pendingKey;
      return {
        ...s,
        pendingKey: mine ? null : s.pendingKey,
        feedback: {
          kind: 'rejected',
          message: event.error.message || 'The server refused this drawing.',
          details: event.error.details ?? [],
        },
      };
    }
    case 'deferred':
      return {
        ...s,
        feedback: {
          kind: 'deferred',
          message: event.error.message || 'The server is busy.',
          retryInMs: event.retryInMs,
        },
      };
    case 'ack-timeout':
      return event.key === s.pendingKey ? { ...s, feedback: { kind: 'queued', key: event.key } } : s;
    case 'guess': {
      const best = event.frame.predictions[0];
      return { ...s, guess: best ? { shape: best[0], confidence: best[1] } : null };
    }
    case 'outbox':
      return { ...s, outboxCount: event.count };
    case 'error':
      return s;
  }
}

export function playReducer(s: PlayState, action: PlayAction): PlayState {
  switch (action.type) {
    case 'event':
      return onEvent(s, action.event, action.day);
    case 'submitted':
      return {
        ...s,
        pendingKey: action.key,
        guess: null,
        feedback: action.sent ? { kind: 'sending', key: action.key } : { kind: 'queued', key: action.key },
      };
    case 'save-failed':
      return { ...s, feedback: { kind: 'save-failed', message: action.message } };
    case 'drawing-reset':
      return s.guess ? { ...s, guess: null } : s;
    case 'toast-done':
      return { ...s, toasts: s.toasts.slice(1) };
    case 'dismiss-feedback':
      return { ...s, feedback: null };
  }
}
