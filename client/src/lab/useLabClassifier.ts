import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Draft } from '../drawing/draft';
import { PEN } from '../drawing/limits';
import type { SurfaceCallbacks } from '../play/drawingSurface';
import { encodeClientFrame, type ClientFrame } from '../protocol';
import { ReconnectingSocket } from '../net/reconnectingSocket';
import { socketUrl } from '../net/socket';
import { decodeClassifyFrame, readModelInfo } from './classifyProtocol';
import { initialLabState, labReducer, type LabState } from './labState';
import { LatencyClock } from './latencyClock';

export interface LabClassifier {
  readonly state: LabState;
  readonly draft: Draft;
  readonly surface: SurfaceCallbacks;
  readonly strokes: number;
  readonly drawing: boolean;
  readonly undo: () => void;
  /** Keeps the drawing and its answer in the history and empties the canvas. */
  readonly newTry: () => void;
}

const PING = encodeClientFrame({ type: 'ping' });

/**
 * Wires the lab: the shared Draft and canvas for input, a /ws/classify socket that streams each
 * animation frame's points and receives predictions, and a clock that times every prediction
 * from the update it answers. The model card comes from the socket's `ready` frame (the same
 * object as /api/inference/model/info), refreshed from model/info when predictions start
 * naming another model version (a hot swap).
 */
export function useLabClassifier(): LabClassifier {
  const [draft] = useState(() => new Draft());
  const [state, dispatch] = useReducer(labReducer, initialLabState);
  const [shape, setShape] = useState({ strokes: 0, drawing: false });
  const socketRef = useRef<ReconnectingSocket | null>(null);
  const seq = useRef(0);
  const clock = useRef(new LatencyClock());

  /** Sends a drawing update; the server numbers them 1, 2, ... per connection, as we do. */
  const update = useCallback((frame: ClientFrame) => {
    if (!socketRef.current?.send(encodeClientFrame(frame))) return;
    seq.current += 1;
    clock.current.sent(seq.current, performance.now());
  }, []);

  useEffect(() => {
    const socket = new ReconnectingSocket({
      url: socketUrl('/ws/classify', window.location),
      heartbeat: { frame: PING, intervalMs: 20_000, timeoutMs: 50_000 },
      onOpen: () => {
        seq.current = 0;
        clock.current.reset();
        // Whatever was drawn while disconnected goes over again, so the answer covers it all.
        draft.toWire().forEach((s, i) => update({ type: 'points', stroke: i, ...s }));
        draft.markAllSent();
      },
      onMessage: (data) => {
        try {
          const frame = decodeClassifyFrame(data);
          const latencyMs = frame.type === 'prediction' ? clock.current.answered(frame.seq, performance.now()) : null;
          dispatch({ type: 'frame', frame, latencyMs });
        } catch {
          // A frame this page does not understand is not worth breaking the lab for.
        }
      },
      onStatus: (s) =>
        dispatch({ type: 'connection', connection: s.state === 'open' ? 'open' : s.state === 'connecting' ? 'connecting' : 'offline' }),
    });
    socketRef.current = socket;
    socket.start();
    return () => {
      socket.stop();
      socketRef.current = null;
    };
  }, [draft, update]);

  useEffect(
    () =>
      draft.subscribe((change) => {
        if (change === 'strokes') setShape({ strokes: draft.strokeCount, drawing: draft.isDrawing });
      }),
    [draft],
  );

  const refreshModel = useCallback(async () => {
    try {
      const r = await fetch('/api/inference/model/info');
      if (r.status === 503) dispatch({ type: 'model', model: null });
      else if (r.ok) dispatch({ type: 'model', model: readModelInfo(await r.json()) });
    } catch {
      // Offline or a malformed answer: the socket's `ready` frame still describes the model.
    }
  }, []);

  // The socket's `ready` frame describes the model at connect; after a hot swap, predictions
  // name a new version and the card is refreshed from model/info.
  const served = state.predictionModel;
  const known = state.model?.version;
  useEffect(() => {
    if (served !== null && served !== known) void refreshModel();
  }, [served, known, refreshModel]);

  const surface = useMemo<SurfaceCallbacks>(
    () => ({
      onBatch: (b) => update({ type: 'points', stroke: b.stroke, ...b.points, ...(b.first ? PEN : {}) }),
      onStrokeEnd: (stroke) => update({ type: 'end', stroke }),
    }),
    [update],
  );

  const undo = useCallback(() => {
    if (draft.isDrawing || !draft.undo()) return;
    update({ type: 'undo' });
  }, [draft, update]);

  const newTry = useCallback(() => {
    if (draft.isDrawing || draft.isEmpty) return;
    dispatch({ type: 'archive', strokes: draft.strokeViews.map((s) => ({ x: [...s.x], y: [...s.y] })) });
    draft.clear();
    update({ type: 'clear' });
  }, [draft, update]);

  return { state, draft, surface, strokes: shape.strokes, drawing: shape.drawing, undo, newTry };
}
