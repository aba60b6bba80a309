import { publish, say } from './emit';
import type { SessionState } from './state';

export const RATING_INSTRUCTION = 'How hard was that set? And any pain?';

/** Shows the set-end prompt for the rating that is due (after a set, or again after a pause). */
export function openRatingPrompt(state: SessionState): void {
  state.phase = 'rating';
  publish(state, {
    status: 'rating',
    rating: state.ratingDue,
    targets: [],
    restSecondsLeft: null,
    instruction: RATING_INSTRUCTION,
  });
  say(state, RATING_INSTRUCTION);
}
