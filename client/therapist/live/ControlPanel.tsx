import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { CLINICAL_LIMITS, type ArmDifficulty } from '../../../shared/clinical/difficulty';
import { controlCommandSchema, type ControlCommand } from '../../../shared/protocol/control';
import type { Arm, Task } from '../../../shared/protocol/primitives';
import type { PlacementSetting } from '../../../shared/clinical/personal';
import { NumberField } from '../ui/NumberField';
import { PlacementFields, placementText } from '../ui/PlacementFields';
import { TASK_LABELS, TASKS } from '../ui/task-text';
import { useServices } from '../services';
import { controlKey, latestByKey, statusLabel } from '../state/control-machine';
import { useFollowedChoice } from './followed-choice';
import {
  armToFollow,
  difficultyInForce,
  fieldsFollowing,
  followDifficulty,
  type DifficultyLevels,
  type DifficultyRanges,
} from './followed-difficulty';
import { DIFFICULTY_FIELDS, fromDisplay, toDisplay } from '../ui/difficulty-fields';

function ControlStatus({ commandKey }: { commandKey: string }) {
  const { live } = useServices();
  const entry = useStore(live, (s) => latestByKey(s.control).get(commandKey));
  return (
    <span
      className={`control-status ${entry?.status ?? ''}`}
      data-testid={`control-status-${commandKey}`}
      aria-live="polite"
    >
      {entry ? statusLabel(entry) : ''}
    </span>
  );
}

/**
 * The live controls. Difficulty changes go to one arm (each arm has its own settings) and last for
 * this session only, unless the therapist ticks "Keep for next sessions": then the server also
 * writes them into the plan, which the plan editor shows.
 */
export function ControlPanel({
  settings,
  planArm,
  planTask,
  planPlacement,
}: {
  settings: ArmDifficulty;
  planArm: Arm;
  /** The plan's first task: what the task selector shows before the session publishes its own. */
  planTask: Task;
  /** The plan's placement: where the selector starts. */
  planPlacement: PlacementSetting;
}) {
  const { live, link } = useServices();
  const state = useStore(live, (s) => s.live?.state ?? null);
  const deviceConnected = useStore(live, (s) => s.live?.deviceConnected ?? false);
  const sessionEnded = useStore(live, (s) => Boolean(s.live?.endedAt));
  // Every selector shows what the session plays now (its headset's last published state: known
  // late after a reload, changed by a command or by the plan's next set) until the therapist
  // edits it, so a "Set" pressed without looking never sends a default.
  const task = useFollowedChoice<Task>(state?.task ?? null, planTask);
  const arm = useFollowedChoice<Arm>(state?.arm ?? null, planArm);
  // The placement in force is absent from older headsets and before the first scene state.
  const placementInForce = state?.placement ?? null;
  const placement = useFollowedChoice<PlacementSetting>(placementInForce, planPlacement);
  // The difficulty fields belong to one arm: they follow the arm played and show its settings in
  // force (followed-difficulty.ts decides which arm, and which typed field stays).
  const controlEntries = useStore(live, (s) => s.control.entries);
  const inForce = useMemo(
    () => difficultyInForce(state?.difficulty, settings, controlEntries),
    [state?.difficulty, settings, controlEntries],
  );
  const [fields, setFields] = useState(() => {
    const arm = state?.arm ?? planArm;
    return fieldsFollowing(arm, inForce[arm]);
  });
  const difficultyArm = useFollowedChoice<Arm>(armToFollow(fields, state?.arm ?? null), planArm);
  const followed = followDifficulty(fields, difficultyArm.value, inForce[difficultyArm.value]);
  if (followed !== fields) setFields(followed);
  const { ranges, levels } = fields;
  const setRanges = (next: DifficultyRanges) => setFields({ ...fields, ranges: next });
  const setLevels = (next: DifficultyLevels) => setFields({ ...fields, levels: next });
  const [keep, setKeep] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sendDifficulty = (change: Extract<ControlCommand, { type: 'setDifficulty' }>['change']) => {
    if (send({ type: 'setDifficulty', arm: difficultyArm.value, change, keep }))
      difficultyArm.sent();
  };

  /** False when the command is outside the clinical limits and was not sent. */
  const send = (command: ControlCommand): boolean => {
    const parsed = controlCommandSchema.safeParse(command);
    if (!parsed.success) {
      setError(
        `Not sent: ${parsed.error.issues.map((i) => i.message).join('; ')} (outside the clinical limits)`,
      );
      return false;
    }
    setError(null);
    link()?.sendControl(parsed.data);
    return true;
  };

  const ended = sessionEnded || state === null || state.status === 'ended';
  const disabled = ended || !deviceConnected;
  const paused = state?.status === 'paused';
  const pauseCommand: ControlCommand = paused ? { type: 'resume' } : { type: 'pause' };

  return (
    <section className="card controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Controls</h2>
      {disabled && <p className="muted">Controls work while the headset is in a session.</p>}
      {!ended && !deviceConnected && (
        <p className="muted">The headset is away: End session still ends it, on the server.</p>
      )}
      <div className="control-row">
        <button type="button" disabled={disabled} onClick={() => send(pauseCommand)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <ControlStatus commandKey="pause" />
      </div>
      <div className="control-row">
        <button type="button" disabled={disabled} onClick={() => send({ type: 'recenter' })}>
          Recenter
        </button>
        <ControlStatus commandKey="recenter" />
      </div>
      <div className="control-row">
        <button
          type="button"
          className="danger"
          // A headset gone for good (battery, Wi-Fi) must not keep its session open: the server
          // ends it on its own when no headset confirms.
          disabled={ended}
          onClick={() => window.confirm('End the session now?') && send({ type: 'end' })}
        >
          End session
        </button>
        <ControlStatus commandKey="end" />
      </div>
      <div className="control-row">
        <label>
          Task
          <select
            value={task.value}
            data-testid="control-task"
            onChange={(e) => task.edit(e.target.value as Task)}
          >
            {TASKS.map((t) => (
              <option key={t} value={t}>
                {TASK_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={disabled}
          onClick={() => {
            send({ type: 'setTask', task: task.value });
            task.sent();
          }}
        >
          Set task
        </button>
        <ControlStatus commandKey="setTask" />
      </div>
      <div className="control-row">
        <label>
          Arm
          <select
            value={arm.value}
            data-testid="control-arm"
            onChange={(e) => arm.edit(e.target.value as Arm)}
          >
            <option value="right">Right</option>
            <option value="left">Left</option>
          </select>
        </label>
        <button
          type="button"
          disabled={disabled}
          onClick={() => {
            send({ type: 'setArm', arm: arm.value });
            arm.sent();
          }}
        >
          Set arm
        </button>
        <ControlStatus commandKey="setArm" />
      </div>
      <h3>Where targets go</h3>
      {state !== null && (
        <p data-testid="placement-in-force">
          {placementInForce === null
            ? 'In force now: not known (this headset does not report it).'
            : `In force now: ${placementText(placementInForce)}.`}
        </p>
      )}
      <p className="muted">
        A change applies from the next target on, for this session (both arms).
      </p>
      <PlacementFields
        value={placement.value}
        onChange={placement.edit}
        arm={state?.arm ?? planArm}
        testId="control-placement"
      />
      <div className="control-row">
        <button
          type="button"
          disabled={disabled}
          data-testid="apply-placement"
          onClick={() => {
            send({ type: 'setPlacement', placement: placement.value });
            placement.sent();
          }}
        >
          Set placement
        </button>
        <ControlStatus commandKey="setPlacement" />
      </div>
      <h3>Difficulty</h3>
      <div className="control-row">
        <label>
          Difficulty of the arm
          <select
            value={difficultyArm.value}
            data-testid="control-difficulty-arm"
            // Another arm's fields: what was typed for this one is dropped.
            onChange={(e) => difficultyArm.edit(e.target.value as Arm)}
          >
            <option value="right">Right</option>
            <option value="left">Left</option>
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
          Keep for next sessions
        </label>
      </div>
      <p className="muted">
        {/* Sent with each change (setDifficulty's `keep`): it holds for what is applied while ticked. */}
        {keep
          ? 'Each change you apply while this is ticked is also saved in the plan, for every later session.'
          : 'Changes you apply last for this session only; the plan stays as it is.'}
      </p>
      <div className="control-row">
        <NumberField
          label="Lowest level"
          value={levels.minLevel}
          min={CLINICAL_LIMITS.level.min}
          max={CLINICAL_LIMITS.level.max}
          step={1}
          onChange={(v) => setLevels({ ...levels, minLevel: v })}
        />
        <NumberField
          label="Highest level"
          value={levels.maxLevel}
          min={CLINICAL_LIMITS.level.min}
          max={CLINICAL_LIMITS.level.max}
          step={1}
          onChange={(v) => setLevels({ ...levels, maxLevel: v })}
        />
        <button type="button" disabled={disabled} onClick={() => sendDifficulty(levels)}>
          Apply levels
        </button>
        <ControlStatus
          commandKey={controlKey({
            type: 'setDifficulty',
            arm: difficultyArm.value,
            change: { minLevel: 0, maxLevel: 0 },
          })}
        />
      </div>
      <table className="control-ranges">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Easiest</th>
            <th scope="col">Hardest</th>
            <th scope="col">
              <span className="sr-only">Apply</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {DIFFICULTY_FIELDS.map((field) => {
            const range = ranges[field.key];
            const setEnd = (end: 'easy' | 'hard', display: number) =>
              setRanges({
                ...ranges,
                [field.key]: { ...range, [end]: fromDisplay(field, display) },
              });
            const change = { [field.key]: range };
            return (
              <tr key={field.key}>
                <th scope="row">
                  {field.label} <span className="muted">({field.unit})</span>
                  <div>
                    <ControlStatus commandKey={`difficulty:${field.key}`} />
                  </div>
                </th>
                {(['easy', 'hard'] as const).map((end) => (
                  <td key={end}>
                    <NumberField
                      label={`${field.label} ${end === 'easy' ? 'easiest' : 'hardest'}`}
                      name={`${field.key}-${end}`}
                      unit={field.unit}
                      hideLabel
                      value={toDisplay(field, range[end])}
                      min={field.limits.min * field.scale}
                      max={field.limits.max * field.scale}
                      step={field.step}
                      onChange={(v) => setEnd(end, v)}
                    />
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    disabled={disabled}
                    data-testid={`apply-${field.key}`}
                    aria-label={`Apply ${field.label}`}
                    onClick={() => sendDifficulty(change)}
                  >
                    Apply
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {error && (
        <p role="alert" className="message">
          {error}
        </p>
      )}
    </section>
  );
}
