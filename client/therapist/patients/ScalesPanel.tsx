import { useState } from 'react';
import { useStore } from 'zustand';
import {
  SCALES,
  scaleInfo,
  type Arm,
  type ScaleEntry,
  type ScaleKey,
} from '../../../shared/clinical';
import { scaleEntryCorrectionSchema, scaleEntryInputSchema } from '../../../shared/protocol/scales';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';

/** Today in the browser's calendar, YYYY-MM-DD (what a date input shows). */
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const firstIssue = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  error.issues.map((i) => i.message).join('; ');

interface Draft {
  scale: ScaleKey;
  arm: Arm;
  value: string;
  measuredOn: string;
  note: string;
}

/**
 * The clinical scales the therapist measured by hand, recorded here with their date and arm. The
 * form checks each value against its scale's range before sending; the server checks again.
 */
export function ScalesPanel({ patientId, affectedArm }: { patientId: string; affectedArm: Arm }) {
  const { api } = useServices();
  const [resource] = useState(() => createResource(() => api.listScales(patientId)));
  const { state, reload } = useStore(resource);
  const entries = state.data?.entries ?? [];
  const [draft, setDraft] = useState<Draft>({
    scale: 'fugl_meyer_ue',
    arm: affectedArm,
    value: '',
    measuredOn: today(),
    note: '',
  });
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const info = scaleInfo(draft.scale);

  const record = async () => {
    setMessage(null);
    const parsed = scaleEntryInputSchema.safeParse({
      ...draft,
      value: draft.value.trim() === '' ? Number.NaN : Number(draft.value),
    });
    if (!parsed.success) {
      setMessage({ text: `Not saved: ${firstIssue(parsed.error)}`, error: true });
      return;
    }
    setSaving(true);
    try {
      const saved = await api.recordScale(patientId, parsed.data);
      setMessage({
        text: `Saved: ${scaleInfo(saved.scale).short} ${saved.value} (${saved.arm} arm, ${saved.measuredOn}).`,
        error: false,
      });
      setDraft((d) => ({ ...d, value: '', note: '' }));
      reload();
    } catch (e) {
      setMessage({ text: `Not saved: ${e instanceof Error ? e.message : String(e)}`, error: true });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card" aria-labelledby="scales-title" data-testid="scales-panel">
      <h2 id="scales-title">Clinical scales</h2>
      <p className="muted">
        Scores measured with the patient, by hand. Nothing here is estimated from the game. They are
        charted on the <a href={routeHref({ page: 'history', patientId })}>history</a> beside the
        movement measures.
      </p>
      <form
        className="scale-form"
        aria-label="Record a score"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void record();
        }}
      >
        <label className="wide">
          Scale
          <select
            name="scale"
            value={draft.scale}
            onChange={(e) => setDraft({ ...draft, scale: e.target.value as ScaleKey })}
          >
            {SCALES.map((s) => (
              <option key={s.key} value={s.key}>
                {s.short}: {s.display} ({s.min}-{s.max} {s.unit})
              </option>
            ))}
          </select>
        </label>
        <label>
          Arm
          <select
            name="arm"
            value={draft.arm}
            onChange={(e) => setDraft({ ...draft, arm: e.target.value as Arm })}
          >
            {(['left', 'right'] as const).map((arm) => (
              <option key={arm} value={arm}>
                {arm}
                {arm === affectedArm ? ' (affected)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Score ({info.min}-{info.max} {info.unit})
          <input
            name="value"
            type="number"
            inputMode="numeric"
            min={info.min}
            max={info.max}
            step={1}
            value={draft.value}
            onChange={(e) => setDraft({ ...draft, value: e.target.value })}
          />
        </label>
        <label>
          Date of assessment
          <input
            name="measuredOn"
            type="date"
            max={today()}
            value={draft.measuredOn}
            onChange={(e) => setDraft({ ...draft, measuredOn: e.target.value })}
          />
        </label>
        <label className="wide">
          Note (optional)
          <input
            name="note"
            maxLength={500}
            value={draft.note}
            onChange={(e) => setDraft({ ...draft, note: e.target.value })}
          />
        </label>
        <div className="row wide">
          <button type="submit" disabled={saving}>
            {saving ? 'Saving…' : 'Record score'}
          </button>
          <span
            aria-live="polite"
            role={message?.error ? 'alert' : undefined}
            className={message?.error ? 'message' : 'muted'}
            data-testid="scale-message"
          >
            {message?.text}
          </span>
        </div>
      </form>
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="the scores">
        {entries.length === 0 ? (
          <p className="muted">No scores recorded yet.</p>
        ) : (
          <table className="scales" data-testid="scales-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Scale</th>
                <th scope="col">Arm</th>
                <th scope="col">Score</th>
                <th scope="col">Note</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...entries].reverse().map((e) => (
                <ScaleRow
                  key={e.id}
                  entry={e}
                  patientId={patientId}
                  affectedArm={affectedArm}
                  onChanged={reload}
                />
              ))}
            </tbody>
          </table>
        )}
      </RequestStatus>
    </section>
  );
}

function ScaleRow({
  entry,
  patientId,
  affectedArm,
  onChanged,
}: {
  entry: ScaleEntry;
  patientId: string;
  affectedArm: Arm;
  onChanged(): void;
}) {
  const { api } = useServices();
  const info = scaleInfo(entry.scale);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(String(entry.value));
  const [measuredOn, setMeasuredOn] = useState(entry.measuredOn);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    const correction = scaleEntryCorrectionSchema.safeParse({
      value: value.trim() === '' ? Number.NaN : Number(value),
      measuredOn,
    });
    // The range is the entry's scale's: check it as a whole entry, as the server will.
    const whole = scaleEntryInputSchema.safeParse({
      scale: entry.scale,
      arm: entry.arm,
      note: entry.note,
      ...(correction.success ? correction.data : {}),
    });
    if (!correction.success || !whole.success) {
      setError(firstIssue((correction.success ? whole.error : correction.error)!));
      return;
    }
    try {
      await api.correctScale(patientId, entry.id, correction.data);
      setEditing(false);
      setError(null);
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const remove = async () => {
    if (!window.confirm(`Delete ${info.short} ${entry.value} of ${entry.measuredOn}?`)) return;
    try {
      await api.deleteScale(patientId, entry.id);
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <tr data-scale={entry.scale} data-entry-id={entry.id}>
      <td>
        {editing ? (
          <input
            type="date"
            aria-label="Date of assessment"
            value={measuredOn}
            onChange={(e) => setMeasuredOn(e.target.value)}
          />
        ) : (
          entry.measuredOn
        )}
      </td>
      <td title={info.display}>{info.short}</td>
      <td>
        {entry.arm}
        {entry.arm === affectedArm ? ' (affected)' : ''}
      </td>
      <td>
        {editing ? (
          <input
            type="number"
            aria-label={`Score (${info.min}-${info.max})`}
            min={info.min}
            max={info.max}
            step={1}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        ) : (
          `${entry.value} ${info.unit}`
        )}
        {entry.updatedAt !== entry.recordedAt && !editing && (
          <span className="tag" title={`corrected ${entry.updatedAt}`}>
            corrected
          </span>
        )}
      </td>
      <td>{entry.note}</td>
      <td>
        <div className="actions">
          {editing ? (
            <>
              <button type="button" onClick={() => void save()}>
                Save
              </button>
              <button type="button" className="secondary" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </>
          ) : (
            <>
              <button type="button" className="secondary" onClick={() => setEditing(true)}>
                Correct
              </button>
              <button type="button" className="quiet-danger" onClick={() => void remove()}>
                Delete
              </button>
            </>
          )}
        </div>
        {error && (
          <p role="alert" className="message">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
