import type { z } from 'zod';
import {
  armsWithLevelScaleChange,
  difficultyConfigSchema,
  levelScaleChanged,
  type Arm,
} from '../../../shared/clinical';
import type { auditEntrySchema } from '../../../shared/protocol/http';

type Entry = Pick<z.infer<typeof auditEntrySchema>, 'at' | 'action' | 'oldValue' | 'newValue'>;

/** When the therapist changed what an arm's level means (its ranges or level bounds). */
export interface LevelScaleChange {
  at: string;
  arms: Arm[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The changes of the level's scale, oldest first, read from the audit log: a saved plan whose
 * settings changed an arm's ranges or level bounds, and a live change kept in the plan. Entries
 * that cannot be read are skipped (the log is shown in full below the charts).
 */
export function levelScaleChanges(entries: readonly Entry[], affectedArm: Arm): LevelScaleChange[] {
  const changes: LevelScaleChange[] = [];
  for (const e of entries) {
    let arms: Arm[] = [];
    if (e.action === 'patient.update' && isRecord(e.newValue) && 'plan' in e.newValue) {
      const before = isRecord(e.oldValue) ? e.oldValue.plan : null;
      arms = armsWithLevelScaleChange(before, e.newValue.plan, affectedArm);
    } else if (e.action === 'plan.difficulty_kept' && isRecord(e.newValue)) {
      const arm = e.newValue.arm;
      const before = difficultyConfigSchema.safeParse(
        isRecord(e.oldValue) ? e.oldValue.difficulty : null,
      );
      const after = difficultyConfigSchema.safeParse(e.newValue.difficulty);
      if ((arm === 'left' || arm === 'right') && before.success && after.success)
        arms = levelScaleChanged(before.data, after.data) ? [arm] : [];
    }
    if (arms.length > 0) changes.push({ at: e.at, arms });
  }
  return changes.sort((a, b) => a.at.localeCompare(b.at));
}
