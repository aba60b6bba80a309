import { createViewPointer } from '../../../shared/game/view';

/** The off-view pointer's pose this frame, written by OffViewPointer (read by the test handle). */
export const offViewPointer = createViewPointer();
