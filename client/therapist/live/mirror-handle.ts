import { POSE_PARTS, type PosePart } from '../../../shared/protocol/pose-codec';
import type { Services } from '../services';

/**
 * What the mirror drew last, written in its frame loop (no allocation) and copied out only when a
 * test or a person asks. Lets an end-to-end test check the mirror follows the headset.
 */
export const mirrorRendered = {
  /** performance.now() of the last rendered frame, 0 before the first */
  renderedAtMs: 0,
  /** headset time of the pose shown */
  poseTimeMs: 0,
  stale: true,
  frames: 0,
  present: {
    head: false,
    leftController: false,
    rightController: false,
    leftHand: false,
    rightHand: false,
  } as Record<PosePart, boolean>,
  positions: {
    head: new Float32Array(3),
    leftController: new Float32Array(3),
    rightController: new Float32Array(3),
    leftHand: new Float32Array(3),
    rightHand: new Float32Array(3),
  } as Record<PosePart, Float32Array>,
};

export interface MirrorSnapshot {
  renderedAtMs: number;
  poseTimeMs: number;
  stale: boolean;
  frames: number;
  /** world positions in metres of each part drawn, null when not drawn */
  parts: Record<PosePart, [number, number, number] | null>;
}

export function mirrorSnapshot(): MirrorSnapshot {
  const parts = {} as MirrorSnapshot['parts'];
  for (const part of POSE_PARTS) {
    const p = mirrorRendered.positions[part];
    parts[part] = mirrorRendered.present[part] ? [p[0]!, p[1]!, p[2]!] : null;
  }
  return {
    renderedAtMs: mirrorRendered.renderedAtMs,
    poseTimeMs: mirrorRendered.poseTimeMs,
    stale: mirrorRendered.stale,
    frames: mirrorRendered.frames,
    parts,
  };
}

declare global {
  interface Window {
    /** Read-only view of the dashboard for automated tests and support. */
    __reachDashboard?: {
      getMirrorState(): MirrorSnapshot;
      getLiveState(): unknown;
    };
  }
}

export function exposeDashboardHandle(services: Services): void {
  window.__reachDashboard = Object.freeze({
    getMirrorState: mirrorSnapshot,
    getLiveState: () => {
      const { live, trials, control, watchStatus, lastTrialReceivedAt } = services.live.getState();
      return structuredClone({ live, trials, control, watchStatus, lastTrialReceivedAt });
    },
  });
}
