import type { Arm, Vec3 } from '../../../shared/protocol';
import { speak } from '../speech';
import { toWorld } from './anchor';
import type { GameEffects } from './engine';
import { xrStore } from './xr-store';

const SOUNDS = ['contact', 'success', 'miss', 'cue', 'confirm'] as const;
type Sound = (typeof SOUNDS)[number];

/**
 * Sound (positional through Web Audio panners, listener following the head), speech and
 * controller haptics. Everything degrades silently: a missing voice or actuator is not an error.
 */
export function createEffects(muted: boolean): GameEffects & { unlock(): void } {
  let context: AudioContext | null = null;
  const buffers = new Map<Sound, AudioBuffer>();

  async function load(ctx: AudioContext) {
    for (const name of SOUNDS) {
      try {
        const response = await fetch(`/sounds/${name}.wav`);
        buffers.set(name, await ctx.decodeAudioData(await response.arrayBuffer()));
      } catch {
        // a missing sound leaves the game silent, never broken
      }
    }
  }

  function play(name: Sound, at?: Vec3) {
    if (muted || context === null) return;
    const buffer = buffers.get(name);
    if (!buffer) return;
    const source = context.createBufferSource();
    source.buffer = buffer;
    if (at) {
      const w = toWorld(at);
      const panner = new PannerNode(context, {
        panningModel: 'HRTF',
        positionX: w[0],
        positionY: w[1],
        positionZ: w[2],
      });
      source.connect(panner).connect(context.destination);
    } else {
      source.connect(context.destination);
    }
    source.start();
  }

  function pulse(arm: Arm, intensity: number, ms: number) {
    const session = xrStore.getState().session;
    if (!session) return;
    for (const source of session.inputSources) {
      if (source.handedness !== arm) continue;
      const actuator = (
        source.gamepad as
          (Gamepad & { hapticActuators?: { pulse?: (v: number, d: number) => void }[] }) | undefined
      )?.hapticActuators?.[0];
      actuator?.pulse?.(intensity, ms);
    }
  }

  return {
    unlock() {
      if (context !== null || muted) return;
      try {
        context = new AudioContext();
        void load(context);
      } catch {
        context = null;
      }
    },
    say(text) {
      if (!muted) speak(text);
    },
    contact(position, arm) {
      play('contact', position);
      pulse(arm, 0.6, 60);
    },
    success(position, arm) {
      play('success', position);
      pulse(arm, 1, 120);
    },
    miss() {
      play('miss');
    },
    trunkCue() {
      play('cue');
    },
    confirm() {
      play('confirm');
    },
  };
}
