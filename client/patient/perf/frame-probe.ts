import { useEffect } from 'react';
import { useFrame, useThree } from '@react-three/fiber';

/** Frames kept: a minute at 120 Hz. */
const CAPACITY = 8192;
/** Runs before every other useFrame callback (physics included); negative keeps auto-render on. */
const FIRST = -1_000_000;

/**
 * Per-frame cost of the game's own work, for the performance benchmark: from the first useFrame
 * callback to the start of the renderer's draw (every useFrame callback and the physics step),
 * the draw itself, and the renderer's counts. Ring buffers, written without allocating.
 */
export interface ReachPerf {
  frames: number;
  /** When each frame's work began (performance.now()): the gap to the previous one is the frame interval. */
  startedAt: Float64Array;
  appMs: Float64Array;
  renderMs: Float64Array;
  drawCalls: Uint32Array;
  triangles: Uint32Array;
  /**
   * How many times React rendered a large part of the scene (`scene`: its root, where the probe
   * sits; `world`: a themed world): each is that part reconciled again, which a trial's ordinary
   * changes must not cause.
   */
  renders: Record<string, number>;
  /** The game's mark of each frame (trials recorded so far): a frame where it changes is a trial's end. */
  marks: Uint32Array;
  /**
   * The shader programs the renderer holds and the geometries the scene draws, by id (three counts
   * both up from 0): an id not seen before is a program compiled or a geometry made meanwhile.
   */
  resources(): { programIds: number[]; geometryIds: number[] };
}

declare global {
  interface Window {
    __reachPerf?: ReachPerf;
  }
}

let frameStart = -1;

function perfBuffers(resources: ReachPerf['resources']): ReachPerf {
  window.__reachPerf ??= {
    resources,
    frames: 0,
    renders: {},
    startedAt: new Float64Array(CAPACITY),
    appMs: new Float64Array(CAPACITY),
    renderMs: new Float64Array(CAPACITY),
    drawCalls: new Uint32Array(CAPACITY),
    triangles: new Uint32Array(CAPACITY),
    marks: new Uint32Array(CAPACITY),
  };
  return window.__reachPerf;
}

/** Counts the renders of the calling component in `renders[part]` while a FrameProbe is mounted. */
export function useCountedRenders(part: string): void {
  useEffect(() => {
    const renders = window.__reachPerf?.renders;
    if (renders) renders[part] = (renders[part] ?? 0) + 1;
  });
}

/**
 * Mount once inside the <Canvas>, in automation mode only: `{isAutomation() && <FrameProbe />}`.
 * `mark` is read once a frame, after the frame's work (keep it a cheap read).
 */
export function FrameProbe({ mark }: { mark: () => number }): null {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  useEffect(() => {
    const perf = perfBuffers(() => {
      const geometryIds = new Set<number>();
      scene.traverse((o) => {
        const geometry = (o as { geometry?: { id: number } }).geometry;
        if (geometry) geometryIds.add(geometry.id);
      });
      return {
        programIds: (gl.info.programs ?? []).map((p) => p.id),
        geometryIds: [...geometryIds],
      };
    });
    const render = gl.render;
    gl.render = function probedRender(scene, camera) {
      const renderStart = performance.now();
      render.call(gl, scene, camera);
      if (frameStart < 0) return;
      const i = perf.frames % CAPACITY;
      perf.startedAt[i] = frameStart;
      perf.appMs[i] = renderStart - frameStart;
      perf.renderMs[i] = performance.now() - renderStart;
      perf.drawCalls[i] = gl.info.render.calls;
      perf.triangles[i] = gl.info.render.triangles;
      perf.marks[i] = mark();
      perf.frames++;
      frameStart = -1;
    };
    return () => {
      gl.render = render;
    };
  }, [gl, scene, mark]);
  useCountedRenders('scene');
  useFrame(() => {
    frameStart = performance.now();
  }, FIRST);
  return null;
}
