import { z } from 'zod';
import { difficultyChangeSchema } from '../clinical/difficulty/config';
import { placementSettingSchema } from '../clinical/personal/placement-setting';
import { armSchema, taskSchema } from './primitives';

// The clinical core owns the limits and the change's schema; the wire carries them as they are.
export { CLINICAL_LIMITS, difficultyChangeSchema } from '../clinical/difficulty/config';
export type { DifficultyChange } from '../clinical/difficulty/config';

export const controlCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('end') }),
  z.object({ type: z.literal('recenter') }),
  z.object({ type: z.literal('setTask'), task: taskSchema }),
  z.object({ type: z.literal('setArm'), arm: armSchema }),
  z.object({
    type: z.literal('setDifficulty'),
    /** The arm whose settings (and level) change; the other arm keeps its own. */
    arm: armSchema,
    change: difficultyChangeSchema,
    /**
     * A live change is for this session only; with `keep` the server also writes it into the
     * plan's settings for this arm, so later sessions start with it (audited either way).
     */
    keep: z.boolean().optional(),
  }),
  /**
   * Where targets go from the next target on, for this session (both arms): balanced, focus (by
   * the performance map) or only the therapist's sectors.
   */
  z.object({ type: z.literal('setPlacement'), placement: placementSettingSchema }),
]);
export type ControlCommand = z.infer<typeof controlCommandSchema>;

/** How long the server waits for the headset to confirm a command before telling the therapist. */
export const CONTROL_ACK_TIMEOUT_MS = 3000;
