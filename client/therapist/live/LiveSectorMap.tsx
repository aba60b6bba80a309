import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { mapFromSnapshot, performanceMap } from '../../../shared/clinical/personal';
import type { Arm } from '../../../shared/protocol/primitives';
import type { PerformanceMaps } from '../../../shared/protocol/http';
import { FrontView, TopView } from '../history/PersonalPanel';
import { fromAbove } from '../history/personal-data';
import { useServices } from '../services';

/**
 * The performance map of the arm in play, as the server keeps it: fetched again after every trial
 * (the server has added the trial before the dashboard hears of it), so it changes as the patient
 * plays. Over all sessions, older ones counting less, as on the history page.
 */
export function LiveSectorMap({ patientId, planArm }: { patientId: string; planArm: Arm }) {
  const { api, live } = useServices();
  const trialCount = useStore(live, (s) => s.trials.length);
  const liveArm = useStore(live, (s) => s.live?.state?.arm ?? null);
  const [maps, setMaps] = useState<PerformanceMaps | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api.getPerformanceMaps(patientId).then(
      (next) => {
        if (!current) return;
        setMaps(next);
        setError(null);
      },
      (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [api, patientId, trialCount]);
  const arm = liveArm ?? planArm;
  const shown = useMemo(() => {
    if (maps === null) return null;
    const map = mapFromSnapshot(maps[arm]);
    return { sectors: performanceMap(map), columns: fromAbove(map), unmapped: map.unmapped };
  }, [maps, arm]);
  return (
    <section className="card" aria-labelledby="live-map-title" data-testid="live-sector-map">
      <h2 id="live-map-title">Where practice is needed ({arm} arm)</h2>
      {error && <p className="message">The map could not be read: {error}</p>}
      {shown === null ? (
        !error && <p className="muted">Loading the map…</p>
      ) : (
        <>
          <p className="muted">
            Colour: success (red 0 %, green 100 %, grey: no trials); numbers: trials. Updated after
            every trial.
            {shown.unmapped > 0 && ` ${shown.unmapped} trials have no sector (no calibration).`}
          </p>
          <div className="chart-grid">
            <FrontView sectors={shown.sectors} arm={arm} />
            <TopView columns={shown.columns} arm={arm} />
          </div>
        </>
      )}
    </section>
  );
}
