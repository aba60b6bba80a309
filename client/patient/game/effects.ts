import type { SoundName } from '../../../shared/game/session';
import type { Arm, Vec3 } from '../../../shared/protocol';
import { speak } from '../speech';
import { toWorld, type PlayAnchor } from './anchor';

const SOUNDS: readonly SoundName[] = ['contact', 'success', 'miss', 'cue', 'confirm'];

/** Sound, speech and controller haptics: how the session's effects reach the patient. */
export interface GameOutput {
  /** Audio may only start after a user gesture (entering VR). */
  unlock(): void;
  say(text: string): void;
  /** `at` in play space: the sound comes from there. */
  play(sound: SoundName, at: Vec3 | null): void;
  pulse(arm: Arm, intensity: number, ms: number): void;
}

/**
 * Sound (positional through Web Audio panners, listener following the head), speech and
 * controller haptics. Everything degrades silently: a missing voice or actuator is not an error.
 */
export function createGameOutput(
  muted: boolean,
  anchor: PlayAnchor,
  xrSession: () => XRSession | null | undefined,
): GameOutput {
  let context: AudioContext | null = null;
  const buffers = new Map<SoundName, AudioBuffer>();

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
    play(name, at) {
      if (muted || context === null) return;
      const buffer = buffers.get(name);
      if (!buffer) return;
      const source = context.createBufferSource();
      source.buffer = buffer;
      if (at) {
        const w = toWorld(anchor, at);
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
    },
    pulse(arm, intensity, ms) {
      const session = xrSession();
      if (!session) return;
      for (const source of session.inputSources) {
        if (source.handedness !== arm) continue;
        const actuator = (
          source.gamepad as
            | (Gamepad & { hapticActuators?: { pulse?: (v: number, d: number) => void }[] })
            | undefined
        )?.hapticActuators?.[0];
        actuator?.pulse?.(intensity, ms);
      }
    },
  };
}
