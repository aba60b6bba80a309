import { useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import {
  BallCollider,
  RigidBody,
  type CollisionPayload,
  type RapierCollider,
  type RapierRigidBody,
  useRapier,
} from '@react-three/rapier';
import type { Vec3 } from '../../../shared/protocol';
import { EFFECTOR_RADIUS_M, GRASP_ZONE_RADIUS_M } from '../../../shared/game/tasks';
import type { GameSession } from './game-session';
import type { SceneTarget } from './store';

type Kind = SceneTarget['kind'];
/** Where an unused body waits: far below the floor, apart from each other. */
const PARKED: Record<Kind, Vec3> = {
  target: [0, -50, 0],
  goal: [5, -50, 0],
  object: [10, -50, 0],
};

const roleOf = (target: CollisionPayload['other']): unknown =>
  (target.rigidBodyObject?.userData as { role?: string } | undefined)?.role;
const scratch = { x: 0, y: 0, z: 0 };
const TARGET_ENTERED = { type: 'target-entered' } as const;
const TARGET_EXITED = { type: 'target-exited' } as const;
const GOAL_ENTERED = { type: 'goal-entered' } as const;
const OBJECT_TOUCHED = { type: 'object-contact', touching: true } as const;
const OBJECT_LEFT = { type: 'object-contact', touching: false } as const;

function moveTo(body: RapierRigidBody, p: Vec3) {
  scratch.x = p[0];
  scratch.y = p[1];
  scratch.z = p[2];
  body.setNextKinematicTranslation(scratch);
}

function findTarget(targets: readonly SceneTarget[], kind: Kind): SceneTarget | null {
  for (const t of targets) if (t.kind === kind) return t;
  return null;
}

/**
 * The physics world is the play space. Every body lives for the whole game and is moved, never
 * re-created: the effector follows the tracked effector, the target, goal and grasp object (all
 * sensors) move to where the session placed them or wait parked. Re-creating bodies every trial
 * at identical positions overflowed Rapier's stack in testing.
 */
export function PhysicsBodies({ game }: { game: GameSession }) {
  // Kinematic bodies meet only if asked: every collider here detects every other.
  const allPairs = useRapier().rapier.ActiveCollisionTypes.ALL;
  const effector = useRef<RapierRigidBody>(null);
  const bodies = {
    target: useRef<RapierRigidBody>(null),
    goal: useRef<RapierRigidBody>(null),
    object: useRef<RapierRigidBody>(null),
  };
  const colliders = {
    target: useRef<RapierCollider>(null),
    goal: useRef<RapierCollider>(null),
  };
  const radii = useRef({ target: 0, goal: 0 });

  useFrame(() => {
    const frameInput = game.input;
    const arm = game.activeArm();
    if (effector.current) moveTo(effector.current, frameInput.effector[arm]);
    const targets = game.store.getState().targets;
    for (const kind of ['target', 'goal', 'object'] as const) {
      const body = bodies[kind].current;
      if (!body) continue;
      const placed = findTarget(targets, kind);
      if (kind === 'object' && placed && game.holdingObject()) {
        moveTo(body, frameInput.effector[arm]);
        continue;
      }
      moveTo(body, placed ? placed.position : PARKED[kind]);
      if (kind !== 'object' && placed && radii.current[kind] !== placed.radius) {
        colliders[kind].current?.setRadius(placed.radius);
        radii.current[kind] = placed.radius;
      }
    }
  }, -5);

  return (
    <>
      <RigidBody
        ref={effector}
        type="kinematicPosition"
        colliders={false}
        userData={{ role: 'effector' }}
        position={[0, -40, 0]}
      >
        <BallCollider args={[EFFECTOR_RADIUS_M]} activeCollisionTypes={allPairs} />
      </RigidBody>
      <RigidBody
        ref={bodies.target}
        type="kinematicPosition"
        colliders={false}
        position={PARKED.target}
        userData={{ role: 'target' }}
      >
        <BallCollider
          ref={colliders.target}
          args={[0.05]}
          sensor
          activeCollisionTypes={allPairs}
          onIntersectionEnter={(e) => {
            if (roleOf(e.other) === 'effector') game.dispatch(TARGET_ENTERED);
          }}
          onIntersectionExit={(e) => {
            if (roleOf(e.other) === 'effector') game.dispatch(TARGET_EXITED);
          }}
        />
      </RigidBody>
      <RigidBody
        ref={bodies.goal}
        type="kinematicPosition"
        colliders={false}
        position={PARKED.goal}
        userData={{ role: 'goal' }}
      >
        {/* The carried object sits on the effector, so the goal detects the effector. */}
        <BallCollider
          ref={colliders.goal}
          args={[0.05]}
          sensor
          activeCollisionTypes={allPairs}
          onIntersectionEnter={(e) => {
            if (roleOf(e.other) === 'effector') game.dispatch(GOAL_ENTERED);
          }}
        />
      </RigidBody>
      <RigidBody
        ref={bodies.object}
        type="kinematicPosition"
        colliders={false}
        position={PARKED.object}
        userData={{ role: 'object' }}
      >
        <BallCollider
          args={[GRASP_ZONE_RADIUS_M]}
          sensor
          activeCollisionTypes={allPairs}
          onIntersectionEnter={(e) => {
            if (roleOf(e.other) === 'effector') game.dispatch(OBJECT_TOUCHED);
          }}
          onIntersectionExit={(e) => {
            if (roleOf(e.other) === 'effector') game.dispatch(OBJECT_LEFT);
          }}
        />
      </RigidBody>
    </>
  );
}
