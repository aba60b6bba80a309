import { useState } from 'react';
import { useStore } from 'zustand';
import { patientPatchSchema, type PatientRecord } from '../../../shared/protocol/http';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { calibrationText } from './calibration-text';
import { DevicesPanel } from './DevicesPanel';
import { PairingPanel } from './PairingPanel';
import { PatientFields, type PatientFieldValues } from './PatientFields';
import { PlanEditor } from './PlanEditor';
import { ScalesPanel } from './ScalesPanel';

export function PatientPage({ patientId }: { patientId: string }) {
  const { api } = useServices();
  const [resource] = useState(() => createResource(() => api.getPatient(patientId)));
  const { state, reload } = useStore(resource);
  const patient = state.data;

  return (
    <main>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={routeHref({ page: 'patients' })}>My patients</a> ›{' '}
        {patient ? patient.label : 'Patient'}
      </nav>
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="the patient">
        {patient && (
          <>
            <div className="page-title">
              <h1>
                {patient.label} <span className="muted">{patient.code}</span>
              </h1>
              <a className="button" href={routeHref({ page: 'live', patientId })}>
                Live session
              </a>
              <a className="button" href={routeHref({ page: 'history', patientId })}>
                History
              </a>
            </div>
            <div className="columns">
              <div>
                <DetailsForm
                  patient={patient}
                  onSaved={(saved) =>
                    resource.setState({ state: { status: 'ready', data: saved, error: null } })
                  }
                />
                <section className="card" aria-labelledby="calibration-title">
                  <h2 id="calibration-title">Calibration</h2>
                  <p
                    data-testid="calibration-text"
                    className={patient.calibrationCorrupt ? 'message' : undefined}
                  >
                    {calibrationText(patient)}
                  </p>
                </section>
                <ScalesPanel patientId={patientId} affectedArm={patient.affectedArm} />
                <PairingPanel patientId={patientId} />
                <DevicesPanel patientId={patientId} />
                <DeletePatient patient={patient} />
              </div>
              <PlanEditor
                patient={patient}
                onSaved={(saved) =>
                  resource.setState({ state: { status: 'ready', data: saved, error: null } })
                }
              />
            </div>
          </>
        )}
      </RequestStatus>
    </main>
  );
}

function DetailsForm({
  patient,
  onSaved,
}: {
  patient: PatientRecord;
  onSaved(patient: PatientRecord): void;
}) {
  const { api } = useServices();
  const [values, setValues] = useState<PatientFieldValues>({
    code: patient.code,
    label: patient.label,
    affectedArm: patient.affectedArm,
    posture: patient.posture,
    notes: patient.notes,
  });
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const patch = patientPatchSchema.safeParse({
      label: values.label,
      affectedArm: values.affectedArm,
      posture: values.posture,
      notes: values.notes,
    });
    if (!patch.success) {
      setMessage(patch.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    setSaving(true);
    try {
      onSaved(await api.updatePatient(patient.id, patch.data));
      setMessage('Saved.');
    } catch (e) {
      setMessage(`Not saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="card"
      aria-label="Patient details"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>Details</h2>
      <PatientFields values={values} onChange={setValues} withCode={false} />
      <div className="row">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save details'}
        </button>
        <span aria-live="polite">{message}</span>
      </div>
    </form>
  );
}

function DeletePatient({ patient }: { patient: PatientRecord }) {
  const { api } = useServices();
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (
      !window.confirm(
        `Erase ${patient.label} and everything held about them? This cannot be undone.`,
      )
    ) {
      return;
    }
    try {
      await api.deletePatient(patient.id);
      window.location.hash = routeHref({ page: 'patients' });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="card danger" aria-labelledby="erase-title">
      <h2 id="erase-title">Erase patient</h2>
      <button type="button" className="danger" onClick={() => void remove()}>
        Erase patient and all data
      </button>
      {error && (
        <p role="alert" className="message">
          {error}
        </p>
      )}
    </section>
  );
}
