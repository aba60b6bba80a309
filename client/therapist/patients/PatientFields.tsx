import type { Arm, Posture } from '../../../shared/protocol/primitives';

export interface PatientFieldValues {
  code: string;
  label: string;
  affectedArm: Arm;
  posture: Posture;
  notes: string;
}

interface Props {
  values: PatientFieldValues;
  onChange(values: PatientFieldValues): void;
  /** the code is chosen once, at creation */
  withCode: boolean;
}

export function PatientFields({ values, onChange, withCode }: Props) {
  const set = <K extends keyof PatientFieldValues>(key: K, value: PatientFieldValues[K]) =>
    onChange({ ...values, [key]: value });
  return (
    <div className="fields">
      {withCode && (
        <label>
          Pseudonymous code
          <input
            name="code"
            required
            maxLength={32}
            pattern="[A-Za-z0-9_\-]+"
            title="Letters, digits, - and _ only: a code, never a name"
            value={values.code}
            onChange={(e) => set('code', e.target.value)}
          />
        </label>
      )}
      <label>
        Label
        <input
          name="label"
          required
          maxLength={80}
          value={values.label}
          onChange={(e) => set('label', e.target.value)}
        />
      </label>
      <label>
        Affected arm
        <select
          name="affectedArm"
          value={values.affectedArm}
          onChange={(e) => set('affectedArm', e.target.value as Arm)}
        >
          <option value="right">Right</option>
          <option value="left">Left</option>
        </select>
      </label>
      <label>
        Posture
        <select
          name="posture"
          value={values.posture}
          onChange={(e) => set('posture', e.target.value as Posture)}
        >
          <option value="seated">Seated</option>
          <option value="standing">Standing</option>
        </select>
      </label>
      <label className="wide">
        Notes
        <textarea
          name="notes"
          maxLength={4000}
          rows={3}
          value={values.notes}
          onChange={(e) => set('notes', e.target.value)}
        />
      </label>
    </div>
  );
}
