import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Canvas, useFrame } from '@react-three/fiber';
import { XR, useXR } from '@react-three/xr';
import { Physics } from '@react-three/rapier';
import type { StoreApi, UseBoundStore } from 'zustand';
import { ConnectionStatusLine } from '../entry/EntryScreen';
import type { PresetsStore } from '../entry/presets';
import type { GameSession } from './game-session';
import { createPoseStreamer } from './live';
import { Panel } from './Panel';
import { RatingPrompt } from './RatingPrompt';
import { PhysicsBodies } from './PhysicsBodies';
import { EffectorMarker, GhostDemo, OffViewPointer, PlaySpace } from './Visuals';
import type { GameOutput } from './effects';
import { WorldBoundary, WorldStage, type WorldFault } from '../worlds/WorldStage';
import { EndScene } from '../worlds/EndScene';
import Plain from '../worlds/plain';
import type { WorldName } from '../worlds/types';
import type { WorldMenuController } from '../worlds/menu/controller';
import type { GameXRStore } from './xr-store';
import { XRInputReader } from './XRInputReader';
import type { ClientSocket } from '../../common/socket';
import { markTestHandleReady } from './test-handle';
import { isAutomation } from './emulator';
import { FrameProbe } from '../perf/frame-probe';
import { limitPointerTargets } from './pointer-targets';

interface Props {
  game: GameSession;
  presets: PresetsStore;
  xrStore: GameXRStore;
  socket: ClientSocket | null;
  handEffector: XRHandJoint;
  onEnter: () => void;
  output: GameOutput;
  /** The world drawn: null while the patient chooses it (`worldMenu`). */
  worldStore: WorldStore;
  /** The patient's world menu when the plan leaves the world to them, else null. */
  worldMenu: WorldMenuController | null;
  /** Holds the session from starting while the world menu is up. */
  sessionHeld: { current: boolean };
  worldFault: WorldFault;
  /** The world failed to load: the plain room is drawn from now on (the live state says so). */
  onWorldFailed: () => void;
}

export type WorldStore = UseBoundStore<StoreApi<{ world: WorldName | null }>>;

/** Its own chunk: only a plan that leaves the world to the patient loads the menu. */
const WorldMenu = lazy(() => import('../worlds/menu/WorldMenu'));

const HEADSET_REMOVED = { type: 'pause', by: 'headset_removed' } as const;
const FOCUS_LOST = { type: 'pause', by: 'focus_lost' } as const;

/** Pauses when the headset is taken off (XR visibility) or the page is hidden. */
function AutoPause({ game }: { game: GameSession }) {
  const visibility = useXR((s) => s.visibilityState);
  useEffect(() => {
    if (visibility === 'hidden') game.dispatch(HEADSET_REMOVED);
    else if (visibility === 'visible-blurred') game.dispatch(FOCUS_LOST);
  }, [visibility, game]);
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') game.dispatch(FOCUS_LOST);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [game]);
  return null;
}

/** The patient's own pause, resume and recenter, with controllers or bare hands. */
function PatientControls({ game }: { game: GameSession }) {
  useFrame((_state, delta) => game.gestures(delta));
  return null;
}

function ReadySignal() {
  const done = useRef(false);
  useFrame(() => {
    if (done.current) return;
    done.current = true;
    markTestHandleReady();
  });
  return null;
}

function PoseStream({ socket, game }: { socket: ClientSocket; game: GameSession }) {
  const [stream] = useState(() => createPoseStreamer(socket, game.input, game.anchor));
  useFrame((state, _delta, frame: XRFrame | undefined) => {
    const space = state.gl.xr.getReferenceSpace();
    if (frame && space) stream(frame, space);
  });
  return null;
}

/** Without a calibrated shoulder (never at a set's end in practice), a seated adult's. */
const DEFAULT_SHOULDER_HEIGHT_M = 1.0;

/** The set-end prompt while the session asks for it; a new prompt (fresh sliders) per set. */
function SetRating({ game, presets }: { game: GameSession; presets: PresetsStore }) {
  const useGame = game.store;
  const rating = useGame((s) => (s.status === 'rating' ? s.rating : null));
  const shoulderHeight = useGame((s) => s.workspace?.shoulder[1] ?? DEFAULT_SHOULDER_HEIGHT_M);
  if (rating === null) return null;
  return (
    <RatingPrompt
      key={rating.setIndex}
      presets={presets}
      setNumber={rating.setIndex + 1}
      shoulderHeight={shoulderHeight}
      onAnswer={(effort, pain) => game.dispatch({ type: 'rating', effort, pain })}
    />
  );
}

/**
 * The world menu until the session starts (the chosen card stays while the choice is spoken). Its
 * clock runs here, outside the menu's chunk: a menu that cannot load or draw still starts the
 * default world when the countdown ends, and the session is never held for good.
 */
function WorldMenuWhileOpen({
  controller,
  game,
  presets,
}: {
  controller: WorldMenuController;
  game: GameSession;
  presets: PresetsStore;
}) {
  const done = controller.store((s) => s.done);
  useFrame(() => controller.frame(game.input.t));
  if (done) return null;
  return (
    <WorldBoundary
      fallback={null}
      onError={(e) => console.warn('the world menu could not be shown', e)}
    >
      <Suspense fallback={null}>
        <WorldMenu controller={controller} game={game} presets={presets} />
      </Suspense>
    </WorldBoundary>
  );
}

/**
 * What the page shows beside the headset's view (tests and a helper read it). It follows the
 * session's status on its own: were these subscriptions in GameApp, every status change (two a
 * trial) would render the whole scene again, a hitch of several milliseconds on a headset.
 */
function GameOverlay({
  game,
  socket,
  onEnter,
  world,
  worldProblem,
}: {
  game: GameSession;
  socket: ClientSocket | null;
  onEnter: () => void;
  world: WorldName | null;
  worldProblem: string | null;
}) {
  const useGame = game.store;
  const inVR = useGame((s) => s.inVR);
  const status = useGame((s) => s.status);
  const summary = useGame((s) => s.summary);
  const endOfSession = useGame((s) => s.endOfSession);
  return (
    <div className="game-overlay">
      {!inVR && (
        <button className="big-button" data-testid="enter-vr" onClick={onEnter}>
          Enter VR
        </button>
      )}
      {socket !== null && <ConnectionStatusLine />}
      <span data-testid="game-status">{status}</span>
      {worldProblem !== null && (
        <span data-testid="world-message">
          The {world} world could not be shown ({worldProblem}): playing in the plain room.
        </span>
      )}
      {summary !== null && (
        <span data-testid="summary">
          {summary.hits} / {summary.trials} reached
        </span>
      )}
      {endOfSession !== null && (
        <span data-testid="end-scene">
          {endOfSession.stars} stars, {endOfSession.hits} reached, {endOfSession.minutesActive} min,{' '}
          {endOfSession.daysInARow} days in a row, {endOfSession.completedSessions} sessions
        </span>
      )}
    </div>
  );
}

/** The menu's clock starts with the headset on, not while the page waits for Enter VR. */
function WorldMenuInVR(props: Parameters<typeof WorldMenuWhileOpen>[0]) {
  const inVR = props.game.store((s) => s.inVR);
  return inVR ? <WorldMenuWhileOpen {...props} /> : null;
}

export function GameApp({
  game,
  presets,
  xrStore,
  socket,
  handEffector,
  onEnter,
  output,
  worldStore,
  worldMenu,
  sessionHeld,
  worldFault,
  onWorldFailed,
}: Props) {
  const [worldProblem, setWorldProblem] = useState<string | null>(null);
  const world = worldStore((s) => s.world);
  const trialsRecorded = useCallback(() => game.store.getState().trials.length, [game]);
  // null while the patient chooses the world
  const worldDrawn = worldProblem === null ? world : 'plain';
  return (
    <div className="game-root" data-world={worldDrawn ?? 'choosing'}>
      <GameOverlay
        game={game}
        socket={socket}
        onEnter={onEnter}
        world={world}
        worldProblem={worldProblem}
      />
      <Canvas onCreated={({ scene }) => limitPointerTargets(scene)}>
        <XR store={xrStore}>
          {isAutomation() && <FrameProbe mark={trialsRecorded} />}
          <XRInputReader game={game} handEffector={handEffector} sessionHeld={sessionHeld} />
          <ReadySignal />
          <AutoPause game={game} />
          <PatientControls game={game} />
          {socket !== null && <PoseStream socket={socket} game={game} />}
          {/* Kinematic sensors only: one step a frame at the frame's positions. A fixed step ran
              none in some frames and several after a slow one (catching up), for the same result. */}
          <Physics timeStep="vary" interpolate={false}>
            <PhysicsBodies game={game} />
          </Physics>
          {world === null ? (
            <Plain game={game} presets={presets} output={output} />
          ) : (
            <WorldStage
              world={world}
              fault={worldFault}
              failed={worldProblem !== null}
              onFailed={(reason) => {
                setWorldProblem((shown) => shown ?? reason);
                onWorldFailed();
              }}
              game={game}
              presets={presets}
              output={output}
            />
          )}
          <PlaySpace anchor={game.anchor}>
            {worldMenu !== null && (
              <WorldMenuInVR controller={worldMenu} game={game} presets={presets} />
            )}
            <EffectorMarker game={game} presets={presets} />
            <GhostDemo game={game} presets={presets} />
            <OffViewPointer game={game} presets={presets} />
            {/* The board has nothing to say before the session starts: the menu speaks. */}
            {world !== null && (
              <Panel store={game.store} presets={presets} plannedTrials={game.plannedTrials} />
            )}
            <SetRating game={game} presets={presets} />
            {worldDrawn !== null && (
              <EndScene store={game.store} presets={presets} world={worldDrawn} />
            )}
          </PlaySpace>
        </XR>
      </Canvas>
    </div>
  );
}
