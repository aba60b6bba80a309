import {
  clampLevel,
  difficultyParams,
  withDifficultyChange,
  type ArmDifficulty,
} from '../../clinical';
import type { ControlCommand } from '../../protocol';
import { emit, publish } from './emit';
import { advance, finish, pause, resume, saveProgress } from './flow';
import type { SessionState } from './state';

/** A change of task, arm or difficulty takes effect with a fresh trial. */
function restartStep(state: SessionState): void {
  if (state.phase !== 'instructions' && state.phase !== 'running') return;
  state.run = null;
  advance(state);
}

/** A therapist's command, applied at once; returns why it cannot be, or null. */
function apply(state: SessionState, command: ControlCommand): string | null {
  switch (command.type) {
    case 'pause':
      if (state.phase === 'ended') return 'the session has ended';
      pause(state, 'therapist');
      return null;
    case 'resume':
      if (state.phase !== 'paused') return 'the session is not paused';
      resume(state);
      return null;
    case 'end':
      if (state.phase !== 'ended') finish(state, 'therapist');
      return null;
    case 'recenter':
      emit(state, { type: 'recenter' });
      return null;
    case 'setTask':
      state.taskOverride = command.task;
      restartStep(state);
      saveProgress(state);
      return null;
    case 'setArm':
      state.armOverride = command.arm;
      restartStep(state);
      saveProgress(state);
      return null;
    case 'setDifficulty': {
      // One arm only: the other arm keeps its settings and its level.
      const { arm, change } = command;
      let next: ArmDifficulty;
      try {
        next = withDifficultyChange(state.difficulty, arm, change);
      } catch (e) {
        return e instanceof Error ? e.message.slice(0, 300) : 'invalid difficulty';
      }
      state.difficulty = next;
      state.levels[arm] = clampLevel(change.level ?? state.levels[arm], next[arm]);
      // Either arm's: the therapist's live view shows the settings in force for both.
      publish(state, { difficulty: next });
      if (arm === state.view.arm) {
        publish(state, {
          level: state.levels[arm],
          params: difficultyParams(state.levels[arm], next[arm]),
        });
        if (state.phase === 'instructions' || state.phase === 'running') restartStep(state);
      }
      // The other arm's change too: a reload before that arm plays must not lose it.
      saveProgress(state);
      return null;
    }
    case 'setPlacement':
      // From the next target on; a target not shown yet is placed again at once.
      state.placement = command.placement;
      publish(state, { placement: command.placement });
      if (state.phase === 'instructions') restartStep(state);
      saveProgress(state);
      return null;
  }
}

/** Applies a therapist's command and answers it with a `command-result` effect. */
export function applyCommand(state: SessionState, command: ControlCommand): void {
  publish(state, { lastCommand: command.type });
  emit(state, { type: 'command-result', error: apply(state, command) });
}
