import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Draft } from '../drawing/draft';
import { PEN } from '../drawing/limits';
import { utcDay } from '../game/progress';
import { localStore, sessionStore } from '../identity/localState';
import { anonymousUserId } from '../identity/userId';
import { uuid } from '../identity/uuid';
import { PlaySession } from '../net/playSession';
import { socketUrl } from '../net/socket';
import { openBestOutbox, type OutboxEntry, type OutboxStore } from '../outbox/outbox';
import type { Device } from '../protocol';
import type { SurfaceCallbacks } from './drawingSurface';
import { initialPlayState, playReducer, type PlayState } from './playState';
import { loadProgress, loadUnlocked, saveProgress, saveUnlocked } from './progressStore';
import { replayDraft } from './replayDraft';

const DEVICE_KEY = 'drawstream.device';

function initialDevice(): Device {
  const saved = localStore().getItem(DEVICE_KEY);
  if (saved === 'mouse' || saved === 'touch' || saved === 'pen') return saved;
  return typeof window !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches ? 'touch' : 'mouse';
}

/** The shape of the drawing that the buttons care about (not every point). */
export interface DraftShape {
  readonly strokes: number;
  readonly drawing: boolean;
  readonly full: boolean;
}

export interface PlayGame {
  readonly state: PlayState;
  readonly draft: Draft;
  readonly draftShape: DraftShape;
  readonly surface: SurfaceCallbacks;
  /** True while a submit is being written to the outbox. */
  readonly saving: boolean;
  /** False when IndexedDB is unavailable: waiting drawings don't survive a reload. */
  readonly durableOutbox: boolean;
  /** Whether the "waiting to be sent" indicator should show (not for a normal quick send). */
  readonly outboxVisible: boolean;
  readonly undo: () => void;
  readonly clear: () => void;
  readonly submit: () => Promise<void>;
  readonly retry: () => void;
  readonly toastDone: () => void;
}

/**
 * Wires the play screen: one Draft for the drawing in progress, one PlaySession for the
 * socket and the outbox, and the reducer that turns their events into what the player sees.
 */
export function usePlayGame(): PlayGame {
  const [draft] = useState(() => new Draft());
  const [state, dispatch] = useReducer(playReducer, undefined, () =>
    initialPlayState(loadProgress(), loadUnlocked()),
  );
  const [draftShape, setDraftShape] = useState<DraftShape>({ strokes: 0, drawing: false, full: false });
  const [saving, setSaving] = useState(false);
  const [durableOutbox, setDurableOutbox] = useState(true);
  const [outboxVisible, setOutboxVisible] = useState(false);
  const sessionRef = useRef<PlaySession | null>(null);
  const ready = useRef<Promise<PlaySession | null> | null>(null);
  const device = useRef<Device>(initialDevice());

  useEffect(() => {
    // React may mount, unmount and remount (Strict Mode): each run owns its own session and
    // outbox handle, and one that was cleaned up before the outbox opened never starts.
    let stopped = false;
    let session: PlaySession | null = null;
    let outbox: OutboxStore | null = null;
    ready.current = openBestOutbox().then(({ store, durable }) => {
      outbox = store;
      if (stopped) {
        store.close();
        return null;
      }
      setDurableOutbox(durable);
      session = new PlaySession({
        url: socketUrl('/ws/play', window.location),
        outbox: store,
        userId: anonymousUserId(),
        storage: sessionStore(),
        device: () => device.current,
        onEvent: (event) => dispatch({ type: 'event', event, day: utcDay(new Date()) }),
        onReady: (s, resumed) => replayDraft(s, draft, resumed),
      });
      sessionRef.current = session;
      session.start();
      return session;
    });
    return () => {
      stopped = true;
      session?.stop();
      if (sessionRef.current === session) sessionRef.current = null;
      outbox?.close();
    };
  }, [draft]);

  useEffect(
    () =>
      draft.subscribe((change) => {
        if (change !== 'strokes') return;
        setDraftShape({ strokes: draft.strokeCount, drawing: draft.isDrawing, full: draft.isFull });
        if (draft.isEmpty) dispatch({ type: 'drawing-reset' });
      }),
    [draft],
  );

  useEffect(() => saveProgress(state.progress), [state.progress]);
  useEffect(() => saveUnlocked(state.unlocked), [state.unlocked]);

  // A quick send shouldn't flash "1 drawing waiting"; a drawing that waits does show.
  useEffect(() => {
    if (state.outboxCount === 0) {
      setOutboxVisible(false);
      return;
    }
    if (state.connection !== 'online') {
      setOutboxVisible(true);
      return;
    }
    const timer = setTimeout(() => setOutboxVisible(true), 1500);
    return () => clearTimeout(timer);
  }, [state.outboxCount, state.connection]);

  // Without IndexedDB, leaving the page would lose waiting drawings: ask first.
  useEffect(() => {
    if (durableOutbox || state.outboxCount === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [durableOutbox, state.outboxCount]);

  const surface = useMemo<SurfaceCallbacks>(
    () => ({
      onBatch: (b) => sessionRef.current?.sendPoints(b.stroke, b.points, b.first ? PEN : undefined),
      onStrokeEnd: (i) => sessionRef.current?.sendEnd(i),
      onDevice: (d) => {
        device.current = d;
        localStore().setItem(DEVICE_KEY, d);
      },
      onFull: () => setDraftShape((s) => ({ ...s, full: true })),
    }),
    [],
  );

  const undo = useCallback(() => {
    if (draft.isDrawing || draft.isEmpty) return;
    draft.undo();
    sessionRef.current?.sendUndo();
  }, [draft]);

  const clear = useCallback(() => {
    if (draft.isEmpty) return;
    draft.clear();
    sessionRef.current?.sendClear();
  }, [draft]);

  const prompt = state.prompt;
  const submit = useCallback(async () => {
    if (saving || !prompt || draft.isEmpty || draft.isDrawing || !draft.size || !ready.current) return;
    const entry: OutboxEntry = {
      key: uuid(),
      shape: prompt.id,
      shapeName: prompt.name,
      canvas: [draft.size.width, draft.size.height],
      durationMs: draft.durationMs,
      startedAt: draft.startedAt,
      device: draft.device,
      strokes: draft.toWire(),
      createdAt: Date.now(),
    };
    setSaving(true);
    try {
      const session = await ready.current;
      if (!session) throw new Error('the game is shutting down');
      const { sent } = await session.submit(entry);
      // Safe in the outbox now: the canvas is free for the next drawing.
      draft.clear();
      dispatch({ type: 'submitted', key: entry.key, sent });
    } catch (err) {
      dispatch({ type: 'save-failed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setSaving(false);
    }
  }, [draft, prompt, saving]);

  const retry = useCallback(() => sessionRef.current?.retryNow(), []);
  const toastDone = useCallback(() => dispatch({ type: 'toast-done' }), []);

  return {
    state,
    draft,
    draftShape,
    surface,
    saving,
    durableOutbox,
    outboxVisible,
    undo,
    clear,
    submit,
    retry,
    toastDone,
  };
}
