import {
  clientToServer,
  serverToClient,
  type ServerPayload,
} from '../../../shared/protocol/events';
import { MAX_POSE_FRAME_BYTES, poseFrameFromBase64 } from '../../../shared/protocol/pose-codec';
import { CONTROL_ACK_TIMEOUT_MS, type ControlCommand } from '../../../shared/protocol/control';
import { refusalIsFinal } from '../../../shared/protocol/reconnect';
import type { SessionDetail } from '../../../shared/protocol/http';
import type { ServerConnection } from '../../common/socket';
import type { ConnectionStore } from '../state/connection-store';
import type { LiveStore } from '../state/live-store';
import { parseAck } from './ack';
import { clearPoseRing, pushPoseBytes, type PoseRing } from './interpolation';

/** The server answers within CONTROL_ACK_TIMEOUT_MS; this margin covers the two network legs. */
const CONTROL_CLIENT_TIMEOUT_MS = CONTROL_ACK_TIMEOUT_MS + 2000;
const WATCH_TIMEOUT_MS = 5000;

export type PairingUsed = ServerPayload<'pairing:used'>;
export type PairingVoided = ServerPayload<'pairing:voided'>;

export interface LiveLink {
  /**
   * Calls `listener` at every (re)connect of the socket: what was pushed while it was away
   * (`pairing:used`, `pairing:voided`) is for the listener to fetch.
   */
  onConnected(listener: () => void): () => void;
  /** Calls `listener` whenever one of this therapist's pairing codes pairs a headset. */
  onPairingUsed(listener: (used: PairingUsed) => void): () => void;
  /** Calls `listener` whenever a pending code of this therapist dies of wrong guesses. */
  onPairingVoided(listener: (voided: PairingVoided) => void): () => void;
  watch(patientId: string): void;
  unwatch(): void;
  sendControl(command: ControlCommand): void;
  close(): void;
}

/**
 * Wires the therapist's socket to the stores: connection status, the watched patient's session,
 * trials and control answers, and pose frames into the ring the mirror reads every frame.
 * Everything that arrives is validated against the protocol's schemas first.
 *
 * Every (re)connect watches again and fetches the running session's stored trials, so the feed
 * also holds the trials stored while this page was away (a server restart, a dropped network).
 */
export function createLiveLink(
  server: ServerConnection,
  connection: ConnectionStore,
  live: LiveStore,
  ring: PoseRing,
  /**
   * The running session's stored trials, their flags, its latest abnormal-trial alert and set
   * ratings (`GET /api/sessions/:id`).
   */
  fetchSession: (
    sessionId: string,
  ) => Promise<Pick<SessionDetail, 'trials' | 'ratings' | 'flags' | 'alert'>>,
): LiveLink {
  const { socket } = server;
  /** Decoded bytes of the latest pose frame: the ring copies them out, so one buffer serves. */
  const poseBytes = new Uint8Array(MAX_POSE_FRAME_BYTES);
  const sendWatch = () => {
    const patientId = live.getState().patientId;
    if (patientId === null || !socket.connected) return;
    socket
      .timeout(WATCH_TIMEOUT_MS)
      .emit('patient:watch', { patientId }, (error: Error | null, raw: unknown) => {
        if (live.getState().patientId !== patientId) return;
        if (error) return live.getState().watchFailed('The server did not answer in time.');
        const answer = parseAck(clientToServer['patient:watch'].ack, raw);
        if (!answer.ok) return live.getState().watchFailed(answer.error.message);
        live.getState().watchAnswered(answer.data.live, answer.data.worldMenu);
        if (answer.data.live !== null) catchUp(patientId, answer.data.live.sessionId);
      });
  };
  /**
   * Trials (with their unusual-trial flags and the latest abnormal-trial alert) and ratings stored
   * while no `live:trial` or `live:rating` could reach this page; the store drops duplicates.
   */
  const catchUp = (patientId: string, sessionId: string) => {
    fetchSession(sessionId).then(
      ({ trials, ratings, flags, alert }) => {
        if (live.getState().patientId !== patientId) return;
        live.getState().trialsFetched(trials, flags, alert);
        live.getState().ratingsArrived(ratings);
      },
      // The next reconnect fetches again; meanwhile the feed shows what arrived live.
      () => undefined,
    );
  };

  const connectedListeners = new Set<() => void>();
  socket.on('connect', () => {
    connection.setState({ status: 'connected', error: null });
    sendWatch();
    for (const listener of connectedListeners) listener();
  });
  socket.on('disconnect', () => connection.setState({ status: 'disconnected' }));
  socket.on('connect_error', (error) => {
    // The handshake middleware names its refusal in the message; a final one is the page's to handle.
    if (refusalIsFinal(error.message)) return;
    connection.setState({
      status: 'disconnected',
      error: `Cannot reach the server (${error.message}): trying again`,
    });
  });

  socket.on('live:session', (raw) => {
    const parsed = serverToClient['live:session'].payload.safeParse(raw);
    if (!parsed.success) return;
    const previous = live.getState().live;
    if (previous !== null && previous.sessionId !== parsed.data.sessionId) clearPoseRing(ring);
    live.getState().sessionChanged(parsed.data);
  });
  socket.on('live:world-menu', (raw) => {
    const parsed = serverToClient['live:world-menu'].payload.safeParse(raw);
    if (!parsed.success) return;
    const before = live.getState().worldMenu?.poseAlias;
    live.getState().worldMenuChanged(parsed.data);
    // The mirror starts afresh from the menu's poses, or from the session's after it.
    if (live.getState().worldMenu?.poseAlias !== before) clearPoseRing(ring);
  });
  socket.on('live:trial', (raw) => {
    const parsed = serverToClient['live:trial'].payload.safeParse(raw);
    if (!parsed.success || parsed.data.patientId !== live.getState().patientId) return;
    live.getState().trialArrived(parsed.data.trial, Date.now(), parsed.data.flags);
  });
  socket.on('live:rating', (raw) => {
    const parsed = serverToClient['live:rating'].payload.safeParse(raw);
    if (!parsed.success || parsed.data.patientId !== live.getState().patientId) return;
    live.getState().ratingsArrived([parsed.data.rating]);
  });
  const pairingListeners = new Set<(used: PairingUsed) => void>();
  socket.on('pairing:used', (raw) => {
    const parsed = serverToClient['pairing:used'].payload.safeParse(raw);
    if (!parsed.success) return;
    for (const listener of pairingListeners) listener(parsed.data);
  });
  const voidedListeners = new Set<(voided: PairingVoided) => void>();
  socket.on('pairing:voided', (raw) => {
    const parsed = serverToClient['pairing:voided'].payload.safeParse(raw);
    if (!parsed.success) return;
    for (const listener of voidedListeners) listener(parsed.data);
  });
  socket.on('live:pose', (raw) => {
    const parsed = serverToClient['live:pose'].payload.safeParse(raw);
    if (!parsed.success) return;
    const [poseAlias, frame] = parsed.data;
    // The session's frames, or before it starts, those of the headset's world menu.
    const { live: session, worldMenu } = live.getState();
    if (poseAlias !== session?.poseAlias && poseAlias !== worldMenu?.poseAlias) return;
    const bytes = poseFrameFromBase64(frame, poseBytes);
    if (bytes !== null) pushPoseBytes(ring, bytes, performance.now());
  });

  return {
    onConnected(listener) {
      connectedListeners.add(listener);
      return () => connectedListeners.delete(listener);
    },
    onPairingUsed(listener) {
      pairingListeners.add(listener);
      return () => pairingListeners.delete(listener);
    },
    onPairingVoided(listener) {
      voidedListeners.add(listener);
      return () => voidedListeners.delete(listener);
    },
    watch(patientId) {
      clearPoseRing(ring);
      live.getState().startWatching(patientId, performance.now());
      sendWatch();
    },
    unwatch() {
      const patientId = live.getState().patientId;
      if (patientId === null) return;
      live.getState().stopWatching();
      clearPoseRing(ring);
      if (socket.connected) socket.emit('patient:unwatch', { patientId }, () => undefined);
    },
    sendControl(command) {
      const session = live.getState().live;
      const dispatch = live.getState().controlEvent;
      const commandId = crypto.randomUUID();
      dispatch({ type: 'sent', commandId, command, atMs: Date.now() });
      if (session === null || !socket.connected) {
        dispatch({
          type: 'failed',
          commandId,
          atMs: Date.now(),
          error: session === null ? 'No live session' : 'Not connected to the server',
        });
        return;
      }
      socket
        .timeout(CONTROL_CLIENT_TIMEOUT_MS)
        .emit(
          'control:send',
          { sessionId: session.sessionId, commandId, command },
          (error: Error | null, raw: unknown) => {
            if (error) return dispatch({ type: 'timedOut', commandId, atMs: Date.now() });
            const answer = parseAck(clientToServer['control:send'].ack, raw);
            dispatch(
              answer.ok
                ? {
                    type: 'applied',
                    commandId,
                    atMs: Date.now(),
                    endedByServer: answer.data.ended === 'server',
                  }
                : { type: 'failed', commandId, atMs: Date.now(), error: answer.error },
            );
          },
        );
    },
    close() {
      socket.removeAllListeners();
      server.close();
      connection.setState({ status: 'signed out', error: null });
    },
  };
}
