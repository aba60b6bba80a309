import { useState } from 'react';
import { planInForce, type SessionPlan } from '../../../shared/clinical/plan';
import type { PatientRecord } from '../../../shared/protocol/http';
import {
  PLAYED_WORLD_NAMES,
  playedWorldSchema,
  type Arm,
  type Task,
} from '../../../shared/protocol/primitives';
import { CLINICAL_LIMITS } from '../../../shared/clinical/difficulty';
import { DIFFICULTY_FIELDS, fromDisplay, toDisplay } from '../ui/difficulty-fields';
import { useServices } from '../services';
import { NumberField } from '../ui/NumberField';
import { PlacementFields } from '../ui/PlacementFields';
import { TASK_LABELS, TASKS } from '../ui/task-text';
import { planProblems } from './plan-form';

/** A level step as read: at most two decimals, no trailing zeros (2, 1.5, 0.25). */
const stepText = (levels: number): string => String(Math.round(levels * 100) / 100);

export function PlanEditor({
  patient,
  onSaved,
}: {
  patient: PatientRecord;
  onSaved(patient: PatientRecord): void;
}) {
  const { api } = useServices();
  const [plan, setPlan] = useState<SessionPlan>(() =>
    planInForce(patient.plan, patient.affectedArm),
  );
  // What is stored is what it shows: when the stored plan changes (saved here, or a live change
  // kept for next sessions), the form starts again from it.
  const stored = JSON.stringify(patient.plan);
  const [shown, setShown] = useState(stored);
  if (stored !== shown) {
    setShown(stored);
    setPlan(planInForce(patient.plan, patient.affectedArm));
  }
  // Each arm has its own settings and bounds; the form edits one arm at a time.
  const [arm, setArm] = useState<Arm>(patient.affectedArm);
  const [status, setStatus] = useState<{
    kind: 'idle' | 'saving' | 'saved' | 'error';
    text?: string;
  }>({ kind: 'idle' });
  const problems = planProblems(plan);
  const update = (change: Partial<SessionPlan>) => {
    setPlan({ ...plan, ...change });
    setStatus({ kind: 'idle' });
  };
  const updateTask = (index: number, change: Partial<SessionPlan['tasks'][number]>) =>
    update({ tasks: plan.tasks.map((t, i) => (i === index ? { ...t, ...change } : t)) });
  const difficulty = plan.difficulty[arm];
  const otherArm: Arm = arm === 'right' ? 'left' : 'right';
  const setDifficulty = (change: Partial<SessionPlan['difficulty'][Arm]>) =>
    update({ difficulty: { ...plan.difficulty, [arm]: { ...difficulty, ...change } } });

  const save = async () => {
    setStatus({ kind: 'saving' });
    try {
      const saved = await api.updatePatient(patient.id, { plan });
      onSaved(saved);
      setStatus({ kind: 'saved' });
    } catch (e) {
      setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <section className="card" aria-labelledby="plan-title">
      <h2 id="plan-title">Session plan</h2>
      <fieldset>
        <legend>Tasks</legend>
        {plan.tasks.map((task, i) => (
          <div className="task-row" key={i}>
            <label>
              Task {i + 1}
              <select
                value={task.task}
                onChange={(e) => {
                  const next = e.target.value as Task;
                  updateTask(
                    i,
                    next === 'hold'
                      ? { task: next, holdSeconds: task.holdSeconds ?? 2 }
                      : { task: next, holdSeconds: undefined },
                  );
                }}
              >
                {TASKS.map((t) => (
                  <option key={t} value={t}>
                    {TASK_LABELS[t]}
                  </option>
                ))}
              </select>
            </label>
            <NumberField
              label="Sets"
              value={task.sets}
              min={1}
              max={20}
              step={1}
              onChange={(v) => updateTask(i, { sets: v })}
            />
            <NumberField
              label="Repetitions"
              value={task.repetitions}
              min={1}
              max={100}
              step={1}
              onChange={(v) => updateTask(i, { repetitions: v })}
            />
            {task.task === 'hold' && (
              <NumberField
                label="Hold time"
                unit="s"
                value={task.holdSeconds ?? 2}
                min={0.5}
                max={30}
                step={0.5}
                onChange={(v) => updateTask(i, { holdSeconds: v })}
              />
            )}
            <button
              type="button"
              disabled={plan.tasks.length === 1}
              onClick={() => update({ tasks: plan.tasks.filter((_, j) => j !== i) })}
              aria-label={`Remove task ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={plan.tasks.length >= 20}
          onClick={() =>
            update({ tasks: [...plan.tasks, { task: 'touch', sets: 1, repetitions: 10 }] })
          }
        >
          Add task
        </button>
      </fieldset>
      <fieldset>
        <legend>Session</legend>
        <div className="fields">
          <NumberField
            label="Rest between sets"
            unit="s"
            value={plan.restSeconds}
            min={0}
            max={600}
            step={5}
            onChange={(v) => update({ restSeconds: v })}
          />
          <NumberField
            label="Maximum duration"
            unit="min"
            value={plan.maxMinutes}
            min={1}
            max={120}
            step={1}
            onChange={(v) => update({ maxMinutes: v })}
          />
          <label>
            Arm
            <select
              value={plan.arm}
              onChange={(e) => update({ arm: e.target.value as SessionPlan['arm'] })}
            >
              <option value="right">Right</option>
              <option value="left">Left</option>
              <option value="alternate">Alternate</option>
            </select>
          </label>
          <label>
            World
            <select
              data-testid="plan-world"
              value={plan.world}
              onChange={(e) => update({ world: e.target.value as SessionPlan['world'] })}
            >
              {playedWorldSchema.options.map((world) => (
                <option key={world} value={world}>
                  {PLAYED_WORLD_NAMES[world]}
                </option>
              ))}
              <option value="choice">Patient&apos;s choice</option>
            </select>
          </label>
          {plan.world === 'choice' && (
            <p className="muted wide" data-testid="plan-world-hint">
              Before the session the patient picks the orchard, the lantern festival or the reef in
              VR. Without a choice in 30 s, the world this headset played last (or the orchard)
              starts.
            </p>
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Standard reach test</legend>
        <div className="fields">
          <label className="checkbox wide">
            <input
              type="checkbox"
              data-testid="plan-assessment"
              checked={plan.assessment}
              onChange={(e) => update({ assessment: e.target.checked })}
            />
            Start with the standard reach test
          </label>
          <p className="muted wide">
            8 fixed targets per arm, never adapted, so sessions compare with each other. The patient
            hears it as a short warm-up.
          </p>
        </div>
      </fieldset>
      <fieldset>
        <legend>Where targets go</legend>
        <PlacementFields
          value={plan.placement}
          onChange={(placement) => update({ placement })}
          arm={plan.arm === 'left' ? 'left' : 'right'}
          testId="plan-placement"
        />
      </fieldset>
      <fieldset>
        <legend>Effort and pain after each set</legend>
        <div className="fields">
          <label className="checkbox wide">
            <input
              type="checkbox"
              data-testid="plan-ratings"
              checked={plan.ratings.enabled}
              onChange={(e) => update({ ratings: { ...plan.ratings, enabled: e.target.checked } })}
            />
            Ask the patient after each set: effort (Borg CR10) and pain (0-10)
          </label>
          <NumberField
            label="Pause the session at a pain of at least"
            unit="0-10"
            value={plan.ratings.painPauseAt}
            min={1}
            max={10}
            step={1}
            onChange={(v) => update({ ratings: { ...plan.ratings, painPauseAt: v } })}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Difficulty</legend>
        <div className="fields">
          <label>
            Settings of the arm
            <select value={arm} onChange={(e) => setArm(e.target.value as Arm)}>
              <option value="right">Right</option>
              <option value="left">Left</option>
            </select>
          </label>
          {/* In a div: a grid cell would stretch the button to its size. */}
          <div>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                update({
                  difficulty: { ...plan.difficulty, [otherArm]: structuredClone(difficulty) },
                })
              }
            >
              Copy these settings to the {otherArm} arm
            </button>
          </div>
          <NumberField
            label="Starting level (an arm without a level yet)"
            value={plan.startLevel[arm]}
            min={CLINICAL_LIMITS.level.min}
            max={CLINICAL_LIMITS.level.max}
            step={1}
            onChange={(v) => update({ startLevel: { ...plan.startLevel, [arm]: v } })}
          />
          <p className="muted" data-testid="current-level">
            {patient.difficulty[arm]
              ? `This arm is at level ${Math.round(patient.difficulty[arm].level * 10) / 10}; it continues from there.`
              : 'This arm has no level yet: it starts at the starting level.'}
          </p>
        </div>
        <div className="fields">
          <NumberField
            label="Target success"
            unit="%"
            value={Math.round(difficulty.targetSuccess * 100)}
            min={CLINICAL_LIMITS.targetSuccess.min * 100}
            max={CLINICAL_LIMITS.targetSuccess.max * 100}
            step={1}
            onChange={(v) => setDifficulty({ targetSuccess: v / 100 })}
          />
          <NumberField
            label="Step size (levels)"
            value={difficulty.gain}
            min={CLINICAL_LIMITS.gain.min}
            max={CLINICAL_LIMITS.gain.max}
            step={1}
            onChange={(v) => setDifficulty({ gain: v })}
          />
          <NumberField
            label="Lowest level"
            value={difficulty.minLevel}
            min={0}
            max={100}
            step={1}
            onChange={(v) => setDifficulty({ minLevel: v })}
          />
          <NumberField
            label="Highest level"
            value={difficulty.maxLevel}
            min={0}
            max={100}
            step={1}
            onChange={(v) => setDifficulty({ maxLevel: v })}
          />
        </div>
        <p className="muted" data-testid="step-explained">
          After a hit the level rises by{' '}
          {stepText(difficulty.gain * (1 - difficulty.targetSuccess))} (step size × (1 − target
          success)), after a miss it falls by {stepText(difficulty.gain * difficulty.targetSuccess)}{' '}
          (step size × target success): the patient settles where they succeed{' '}
          {Math.round(difficulty.targetSuccess * 100)} % of the time.
        </p>
        <table className="ranges">
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Easiest (level 0)</th>
              <th scope="col">Hardest (level 100)</th>
            </tr>
          </thead>
          <tbody>
            {DIFFICULTY_FIELDS.map((field) => (
              <tr key={field.key}>
                <th scope="row">
                  {field.label} ({field.unit})
                </th>
                {(['easy', 'hard'] as const).map((end) => (
                  <td key={end}>
                    <NumberField
                      label={`${field.label} ${end === 'easy' ? 'easiest' : 'hardest'}`}
                      value={toDisplay(field, difficulty[field.key][end])}
                      min={field.limits.min * field.scale}
                      max={field.limits.max * field.scale}
                      step={field.step}
                      hideLabel
                      onChange={(v) =>
                        setDifficulty({
                          [field.key]: { ...difficulty[field.key], [end]: fromDisplay(field, v) },
                        })
                      }
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      {problems.length > 0 && (
        <ul role="alert" className="message">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          type="button"
          disabled={problems.length > 0 || status.kind === 'saving'}
          onClick={() => void save()}
        >
          {status.kind === 'saving' ? 'Saving…' : 'Save plan'}
        </button>
        <span aria-live="polite" className={status.kind === 'error' ? 'message' : 'muted'}>
          {status.kind === 'saved'
            ? 'Plan saved.'
            : status.kind === 'error'
              ? `Not saved: ${status.text}`
              : ''}
        </span>
      </div>
    </section>
  );
}
