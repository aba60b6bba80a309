import { useState, type FormEvent } from 'react';
import { patientCreateSchema, type PatientRecord } from '../../../shared/protocol/http';
import { useServices } from '../services';
import { PatientFields, type PatientFieldValues } from './PatientFields';

const EMPTY: PatientFieldValues = {
  code: '',
  label: '',
  affectedArm: 'right',
  posture: 'seated',
  notes: '',
};

export function NewPatientForm({ onCreated }: { onCreated(patient: PatientRecord): void }) {
  const { api } = useServices();
  const [values, setValues] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = patientCreateSchema.safeParse(values);
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      onCreated(await api.createPatient(parsed.data));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSaving(false);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-label="New patient">
      <h2>New patient</h2>
      <PatientFields values={values} onChange={setValues} withCode />
      {error && (
        <p role="alert" className="message">
          {error}
        </p>
      )}
      <button type="submit" disabled={saving}>
        {saving ? 'Creating…' : 'Create patient'}
      </button>
    </form>
  );
}
