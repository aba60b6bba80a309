import type { Arm, Vec3 } from '../../protocol';
import type { SessionEffect, SoundName } from './effects';
import type { SessionState } from './state';
import type { SessionView } from './view';

/** The machine's clock for records: the wall clock of the event being handled. */
export const isoNow = (state: SessionState): string => new Date(state.now).toISOString();

export function emit(state: SessionState, effect: SessionEffect): void {
  state.effects.push(effect);
}

/** Changes the view and publishes the change. */
export function publish(state: SessionState, patch: Partial<SessionView>): void {
  Object.assign(state.view, patch);
  state.effects.push({ type: 'publish', patch });
}

export function say(state: SessionState, text: string): void {
  state.effects.push({ type: 'speak', text });
}

export function sound(state: SessionState, name: SoundName, at: Vec3 | null = null): void {
  state.effects.push({ type: 'sound', sound: name, at });
}

/** A touch felt in the hand that made it: a short pulse on contact, a longer one on success. */
export function contactFeedback(state: SessionState, at: Vec3, arm: Arm): void {
  sound(state, 'contact', at);
  state.effects.push({ type: 'haptic', arm, intensity: 0.6, ms: 60 });
}

export function successFeedback(state: SessionState, at: Vec3, arm: Arm): void {
  sound(state, 'success', at);
  state.effects.push({ type: 'haptic', arm, intensity: 1, ms: 120 });
}
