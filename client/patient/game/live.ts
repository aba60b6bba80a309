import {
  createPoseFrame,
  encodePoseFrame,
  liveStateSchema,
  MAX_POSE_FRAME_BYTES,
  poseFrameToBase64,
  serverToClient,
  type LiveState,
  type PlayedWorld,
} from '../../../shared/protocol';
import { createRateGate, rateGateDue } from '../../../shared/game/rate-gate';
import type { ClientSocket } from '../../common/socket';
import type { FrameInput } from '../../../shared/game/session';
import type { PlayAnchor } from './anchor';
import type { GameSession } from './game-session';
import { capturePoses } from './pose-capture';
import type { GameSnapshot } from './store';
import type { WorldMenuController } from '../worlds/menu/controller';

/** The page's own 'idle' (nothing started yet) reads on the wire as the instructions before it. */
const liveStatus = (status: GameSnapshot['status']): LiveState['status'] =>
  status === 'idle' ? 'instructions' : status;

/** What the therapist's mirror shows, derived from the game store. */
export function liveStateOf(s: GameSnapshot, world?: PlayedWorld): LiveState {
  return {
    sessionId: s.sessionId,
    status: liveStatus(s.status),
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
    rating: s.rating,
    world,
    placement: s.placement,
    ...(s.difficulty !== null && { difficulty: s.difficulty }),
  };
}

const relevant = (s: GameSnapshot, world: PlayedWorld | undefined) =>
  [
    world,
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
    s.rating,
    s.placement,
    s.difficulty,
  ] as const;

/**
 * Connects a paired session to the server: scene state on every change, the therapist's commands
 * (validated, applied at once, acknowledged). Returns a function that stops it.
 */
export function connectLive(
  socket: ClientSocket,
  game: GameSession,
  sessionKnown: () => boolean,
  /** Known before the session starts (a world menu settles it first). */
  worldDrawn: () => PlayedWorld | undefined,
): { resend(): void; stop(): void } {
  const useGame = game.store;
  let last: readonly unknown[] = [];
  const sendState = () => {
    const s = useGame.getState();
    // The server relays state only for a session it has recorded (session:start acknowledged).
    if (s.status === 'idle' || !socket.connected || !sessionKnown()) return;
    const world = worldDrawn();
    const key = relevant(s, world);
    if (key.every((v, i) => v === last[i])) return;
    last = key;
    const state = liveStateSchema.safeParse(liveStateOf(s, world));
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
    if (parsed.data.sessionId !== game.sessionId) return;
    const error = game.command(parsed.data.command);
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

/**
 * Tells the therapist's live view that the patient is choosing a world (before the session
 * starts): the menu's countdown and choice on every change (about once a second) and again after
 * a reconnect, from its first frame in VR until the session starts. The server relays the pose
 * stream meanwhile, so the mirror shows head and hands. Returns a function that stops it.
 */
export function connectWorldMenu(
  socket: ClientSocket,
  menu: WorldMenuController['store'],
): () => void {
  const send = () => {
    const { open, done, secondsLeft, fallback, chosen, chosenBy } = menu.getState();
    // Once done the session starts: `session:start` takes over.
    if (!open || done || !socket.connected) return;
    socket.emit('world:menu', { secondsLeft, fallback, chosen, chosenBy });
  };
  const unsubscribe = menu.subscribe(send);
  socket.on('connect', send);
  return () => {
    unsubscribe();
    socket.off('connect', send);
  };
}

const POSE_HZ = 30;
/**
 * The 30 Hz pose stream (head, controller grips, tracked hands with their joints) on the XR frame
 * clock: preallocated frame and encoding buffer, poses read only on frames that send, sent
 * volatile so a slow link drops frames instead of queueing them.
 */
export function createPoseStreamer(socket: ClientSocket, input: FrameInput, anchor: PlayAnchor) {
  const frame = createPoseFrame();
  const encoded = new Uint8Array(MAX_POSE_FRAME_BYTES);
  const view = new DataView(encoded.buffer);
  const gate = createRateGate(POSE_HZ);
  let startT = -1;
  return function stream(xrFrame: XRFrame, space: XRReferenceSpace): void {
    const t = input.t;
    if (!socket.connected || !rateGateDue(gate, t)) return;
    if (startT < 0) startT = t;
    frame.sequence = (frame.sequence + 1) & 0xffff;
    frame.timeMs = (t - startT) * 1000;
    capturePoses(xrFrame, space, anchor, frame);
    const length = encodePoseFrame(frame, view);
    socket.volatile.emit('pose:frame', poseFrameToBase64(encoded, length));
  };
}
