import { Component, lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { useThree } from '@react-three/fiber';
import Plain from './plain';
import { WORLD_LOADERS } from './registry';
import type { WorldComponent, WorldName, WorldProps } from './types';

/** Automation only: make the world fail on purpose, to test the fallback. */
export type WorldFault = 'throw' | 'missing' | null;

interface BoundaryProps {
  fallback: ReactNode;
  onError(error: unknown): void;
  children: ReactNode;
}

/** Catches a world (or the world menu) that throws while loading or drawing: `fallback` instead. */
export class WorldBoundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    this.props.onError(error);
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

function Throwing(): never {
  throw new Error('world failed on purpose (test)');
}

function loaderOf(world: WorldName, fault: WorldFault): () => Promise<{ default: WorldComponent }> {
  if (fault === 'throw') return () => Promise.resolve({ default: Throwing });
  if (fault === 'missing') return () => Promise.reject(new Error('world asset missing (test)'));
  return WORLD_LOADERS[world];
}

/** A lost WebGL context drops the world for the plain room once it is restored. */
function ContextLossWatch({ onLost }: { onLost(): void }) {
  const canvas = useThree((s) => s.gl.domElement);
  useEffect(() => {
    const lost = () => onLost();
    canvas.addEventListener('webglcontextlost', lost);
    return () => canvas.removeEventListener('webglcontextlost', lost);
  }, [canvas, onLost]);
  return null;
}

/**
 * Mounts the session's world: loaded lazily (its own chunk), and guarded, so a world that fails
 * (a missing chunk or asset, an error while drawing, a lost GPU context) leaves the plain room and
 * a message while the session goes on: the world draws, it never holds the session.
 */
export function WorldStage({
  world,
  fault,
  failed,
  onFailed,
  ...props
}: WorldProps & {
  world: WorldName;
  fault: WorldFault;
  /** Set once the world has failed: the plain room is drawn from then on. */
  failed: boolean;
  onFailed(reason: string): void;
}) {
  const World = useMemo(() => lazy(loaderOf(world, fault)), [world, fault]);
  const plain = <Plain {...props} />;
  if (failed || world === 'plain') return plain;
  return (
    <>
      <ContextLossWatch onLost={() => onFailed('the display was reset')} />
      <WorldBoundary
        fallback={plain}
        onError={(e) => onFailed(e instanceof Error ? e.message : 'the world could not be drawn')}
      >
        <Suspense fallback={plain}>
          <World {...props} />
        </Suspense>
      </WorldBoundary>
    </>
  );
}
