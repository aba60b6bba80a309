import { useEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import type { Mesh, MeshBasicMaterial } from 'three';
import type { WorldProps } from './types';
import { missFadeAt } from './miss-fade';

/**
 * A missed target leaves softly: a pale copy where it was sinks and fades (miss-fade.ts), in the
 * target's own colour. Started by the recorded trial, as the success burst is; drawn in every world.
 */
export function MissFade({ game, presets }: Pick<WorldProps, 'game' | 'presets'>) {
  const colour = presets((s) => s.style.palette.target);
  const mesh = useRef<Mesh>(null);
  const material = useRef<MeshBasicMaterial>(null);
  const at = useRef<[number, number, number]>([0, -10, 0]);
  const radius = useRef(0.05);
  const pending = useRef(false);
  const startedAt = useRef<number | null>(null);
  const frame = useMemo(() => ({ sink: 0, opacity: 0, scale: 1 }), []);
  useEffect(
    () =>
      game.store.subscribe((s, prev) => {
        // The last target shown: where a miss happens (its copy fades there).
        const shown = s.targets.find((t) => t.kind !== 'goal');
        if (shown) {
          at.current = [...shown.position];
          radius.current = shown.radius;
        }
        if (s.trials.length > prev.trials.length && s.trials.at(-1)?.outcome !== 'hit')
          pending.current = true;
      }),
    [game],
  );
  useFrame((state) => {
    const m = mesh.current;
    if (!m || !material.current) return;
    const now = state.clock.elapsedTime;
    if (pending.current) {
      pending.current = false;
      startedAt.current = now;
    }
    if (startedAt.current === null) return;
    missFadeAt(now - startedAt.current, frame);
    if (frame.opacity <= 0) {
      startedAt.current = null;
      m.visible = false;
      return;
    }
    const from = at.current;
    m.visible = true;
    m.position.set(from[0], from[1] - frame.sink, from[2]);
    m.scale.setScalar(radius.current * frame.scale);
    material.current.opacity = frame.opacity;
  });
  return (
    <mesh ref={mesh} visible={false}>
      <sphereGeometry args={[1, 24, 16]} />
      <meshBasicMaterial ref={material} color={colour} transparent depthWrite={false} />
    </mesh>
  );
}
