import {
  createPoseFrame,
  encodePoseFrame,
  liveStateSchema,
  MAX_POSE_FRAME_BYTES,
  poseFrameToBase64,
  serverToClient,
  type LiveState,
} from '../../../shared/protocol';
import { createRateGate, rateGateDue } from '../../../shared/game/rate-gate';
import type { ClientSocket } from '../../common/socket';
import type { GameEngine } from './engine';
import { frameInput } from './frame-input';
import { capturePoses } from './pose-capture';
import { useGame, type GameSnapshot } from './store';

/** What the therapist's mirror shows, derived from the game store. */
export function liveStateOf(s: GameSnapshot): LiveState {
  return {
    sessionId: s.sessionId,
    status: s.status === 'idle' ? 'instructions' : s.status,
    pausedBy: s.pausedBy,
    task: s.task,
    arm: s.arm,
    level: s.level,
    params: s.params,
    trialNumber: s.trialNumber,
    score: s.score,
    streak: s.streak,
    targets: s.targets.map((t) => ({
      id: t.id,
      kind: t.kind,
      position: t.position,
      radius: t.radius,
    })),
    restSecondsLeft: s.restSecondsLeft,
    elapsedSeconds: s.elapsedSeconds,
    inputMode: s.inputMode,
    workspace: s.workspace,
    instruction: s.instruction.slice(0, 300),
  };
}

const relevant = (s: GameSnapshot) =>
  [
    s.status,
    s.pausedBy,
    s.task,
    s.arm,
    s.level,
    s.trialNumber,
    s.score,
    s.targets,
    s.restSecondsLeft,
    s.inputMode,
    s.workspace,
    s.instruction,
  ] as const;

/**
 * Connects a paired session to the server: scene state on every change, the therapist's commands
 * (validated, applied at once, acknowledged). Returns a function that stops it.
 */
export function connectLive(
  socket: ClientSocket,
  engine: GameEngine,
  sessionKnown: () => boolean,
): { resend(): void; stop(): void } {
  let last: readonly unknown[] = [];
  const sendState = () => {
    const s = useGame.getState();
    // The server relays state only for a session it has recorded (session:start acknowledged).
    if (s.status === 'idle' || !socket.connected || !sessionKnown()) return;
    const key = relevant(s);
    if (key.every((v, i) => v === last[i])) return;
    last = key;
    const state = liveStateSchema.safeParse(liveStateOf(s));
    if (state.success) socket.emit('session:state', state.data);
  };
  const unsubscribe = useGame.subscribe(sendState);
  const onConnect = () => {
    last = [];
    sendState();
  };
  socket.on('connect', onConnect);

  const onCommand = (payload: unknown, ack: (r: { applied: boolean; error?: string }) => void) => {
    const parsed = serverToClient['control:apply'].payload.safeParse(payload);
    if (!parsed.success) {
      ack({ applied: false, error: 'invalid command' });
      return;
    }
    // A command for another session (another headset of the patient) is not ours to apply or answer.
    if (parsed.data.sessionId !== engine.sessionId) return;
    const error = engine.apply(parsed.data.command);
    ack(error === null ? { applied: true } : { applied: false, error: error.slice(0, 300) });
  };
  socket.on('control:apply', onCommand);
  return {
    resend: onConnect,
    stop() {
      unsubscribe();
      socket.off('connect', onConnect);
      socket.off('control:apply', onCommand);
    },
  };
}

const POSE_HZ = 30;
/**
 * The 30 Hz pose stream (head, controller grips, tracked hands with their joints) on the XR frame
 * clock: preallocated frame and encoding buffer, poses read only on frames that send, sent
 * volatile so a slow link drops frames instead of queueing them.
 */
export function createPoseStreamer(socket: ClientSocket) {
  const frame = createPoseFrame();
  const encoded = new Uint8Array(MAX_POSE_FRAME_BYTES);
  const view = new DataView(encoded.buffer);
  const gate = createRateGate(POSE_HZ);
  let startT = -1;
  return function stream(xrFrame: XRFrame, space: XRReferenceSpace): void {
    const t = frameInput.t;
    if (!socket.connected || !rateGateDue(gate, t)) return;
    if (startT < 0) startT = t;
    frame.sequence = (frame.sequence + 1) & 0xffff;
    frame.timeMs = (t - startT) * 1000;
    capturePoses(xrFrame, space, frame);
    const length = encodePoseFrame(frame, view);
    socket.volatile.emit('pose:frame', poseFrameToBase64(encoded, length));
  };
}
