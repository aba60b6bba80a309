import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import {
  AZIMUTH_BINS,
  AZIMUTH_EDGES_DEG,
  ELEVATION_BINS,
  sectorId,
  sectorLabel,
  type Arm,
  type SectorStats,
  type TrendReport,
} from '../../../shared/clinical';
import type { PatientRecord, SessionRecord } from '../../../shared/protocol/http';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { formatNumber, formatPercent } from '../ui/format';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { personalPanelData, type SessionWithTrials } from './personal-data';

/** Sessions' trials are fetched a few at a time, so a long history does not flood the server. */
const PARALLEL_FETCHES = 4;

/** Red (0 % success) through amber to green (100 %); grey without trials. */
const successColour = (rate: number | null) =>
  rate === null ? '#d9d9d9' : `hsl(${Math.round(120 * rate)}, 60%, 45%)`;

function hoverText(s: SectorStats, name: string): string {
  return [
    name,
    `${s.trials} trial${s.trials === 1 ? '' : 's'}`,
    `success ${formatPercent(s.successRate)}`,
    `median movement time ${formatNumber(s.movementTime, 2, 's')}`,
    `median SPARC ${formatNumber(s.sparc, 2)}`,
    `median path ratio ${formatNumber(s.pathRatio, 2)}`,
  ].join('\n');
}

/** Columns left to right as the patient sees them: across the body toward the other side. */
const columnOf = (azimuthBin: number, arm: Arm) =>
  arm === 'right' ? azimuthBin : AZIMUTH_BINS - 1 - azimuthBin;

const CELL_W = 46;
const CELL_H = 34;

export function FrontView({ sectors, arm }: { sectors: SectorStats[]; arm: Arm }) {
  const heights = ['up (over 20°)', 'shoulder (0-20°)', 'low (below 0°)'];
  return (
    <figure className="personal-map">
      <svg
        width={CELL_W * AZIMUTH_BINS + 90}
        height={CELL_H * ELEVATION_BINS + 24}
        role="img"
        aria-label="Performance map seen from the front"
      >
        {heights.map((h, row) => (
          <text key={h} x={0} y={row * CELL_H + 21} fontSize={11}>
            {h.split(' ')[0]}
          </text>
        ))}
        {Array.from({ length: ELEVATION_BINS }, (_, e) =>
          Array.from({ length: AZIMUTH_BINS }, (_, a) => {
            const s = sectors[sectorId(a, e)]!;
            const x = 60 + columnOf(a, arm) * CELL_W;
            const y = (ELEVATION_BINS - 1 - e) * CELL_H;
            return (
              <g key={`${a}-${e}`} data-testid={`front-sector-${s.sector}`} data-trials={s.trials}>
                <title>{hoverText(s, sectorLabel(s.sector))}</title>
                <rect
                  x={x}
                  y={y}
                  width={CELL_W - 2}
                  height={CELL_H - 2}
                  fill={successColour(s.successRate)}
                />
                <text x={x + CELL_W / 2 - 1} y={y + 21} fontSize={12} textAnchor="middle">
                  {s.trials > 0 ? s.trials : ''}
                </text>
              </g>
            );
          }),
        )}
        <text x={60} y={CELL_H * ELEVATION_BINS + 16} fontSize={11}>
          {arm === 'right' ? '← across' : '← out'}
        </text>
        <text
          x={60 + CELL_W * AZIMUTH_BINS}
          y={CELL_H * ELEVATION_BINS + 16}
          fontSize={11}
          textAnchor="end"
        >
          {arm === 'right' ? 'out →' : 'across →'}
        </text>
      </svg>
      <figcaption>Seen from the front (numbers: trials)</figcaption>
    </figure>
  );
}

const DEG = Math.PI / 180;

export function TopView({ columns, arm }: { columns: SectorStats[]; arm: Arm }) {
  const radius = 120;
  const cx = 140;
  const cy = 135;
  // Open-ended outer bins are drawn 10° wide, like the others.
  const edges = [AZIMUTH_EDGES_DEG[0]! - 10, ...AZIMUTH_EDGES_DEG, AZIMUTH_EDGES_DEG.at(-1)! + 10];
  const point = (azimuthDeg: number) => {
    const a = (arm === 'right' ? azimuthDeg : -azimuthDeg) * DEG;
    return `${cx + radius * Math.sin(a)},${cy - radius * Math.cos(a)}`;
  };
  return (
    <figure className="personal-map">
      <svg width={280} height={150} role="img" aria-label="Performance map seen from above">
        {columns.map((s, a) => (
          <g key={a} data-testid={`top-sector-${a}`} data-trials={s.trials}>
            <title>{hoverText(s, `azimuth bin ${a + 1} of 8, all heights`)}</title>
            <polygon
              points={`${cx},${cy} ${point(edges[a]!)} ${point(edges[a + 1]!)}`}
              fill={successColour(s.successRate)}
              stroke="#fff"
            />
          </g>
        ))}
        <circle cx={cx} cy={cy} r={5} fill="#333" />
      </svg>
      <figcaption>Seen from above, from the {arm} shoulder</figcaption>
    </figure>
  );
}

const DAY_MS = 86_400_000;

export function TrendChart({ report }: { report: TrendReport }) {
  if (report.state !== 'trend')
    return (
      <p className="muted" data-testid={`trend-${report.measure}`} data-state={report.state}>
        {report.text}
      </p>
    );
  const width = 420;
  const height = 140;
  const t0 = Date.parse(report.line[0]!.date);
  const t1 = Date.parse(report.projection.date);
  const ys = [...report.line.map((p) => p.value), report.projection.low, report.projection.high];
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || 1;
  const x = (iso: string) =>
    34 + ((Date.parse(iso) - t0) / Math.max(DAY_MS, t1 - t0)) * (width - 40);
  const y = (v: number) => 10 + (1 - (v - lo) / span) * (height - 30);
  const fitted = report.line.slice(0, -1);
  const last = fitted[fitted.length - 1]!;
  return (
    <figure data-testid={`trend-${report.measure}`} data-state={report.state}>
      <svg width={width} height={height} role="img" aria-label={report.text}>
        <polygon
          points={`${x(last.date)},${y(last.value)} ${x(report.projection.date)},${y(report.projection.high)} ${x(report.projection.date)},${y(report.projection.low)}`}
          fill="rgba(47, 111, 159, 0.2)"
          data-testid="projection-band"
        />
        <polyline
          points={report.line.map((p) => `${x(p.date)},${y(p.value)}`).join(' ')}
          fill="none"
          stroke="#2f6f9f"
          strokeWidth={2}
        />
        {report.points.map((p) => (
          <circle key={p.date} cx={x(p.date)} cy={y(p.value)} r={3} fill="#1d3f5c" />
        ))}
        <text x={2} y={y(hi) + 4} fontSize={10}>
          {formatNumber(hi, hi >= 10 ? 0 : 2)}
        </text>
        {hi !== lo && (
          <text x={2} y={y(lo)} fontSize={10}>
            {formatNumber(lo, hi >= 10 ? 0 : 2)}
          </text>
        )}
        <text x={width - 4} y={height - 4} fontSize={10} textAnchor="end">
          4 weeks ahead
        </text>
      </svg>
      <figcaption>{report.text}</figcaption>
    </figure>
  );
}

async function fetchAll(
  sessions: readonly SessionRecord[],
  get: (id: string) => Promise<{ trials: SessionWithTrials['trials'] }>,
): Promise<SessionWithTrials[]> {
  const out: SessionWithTrials[] = [];
  for (let i = 0; i < sessions.length; i += PARALLEL_FETCHES) {
    const chunk = sessions.slice(i, i + PARALLEL_FETCHES);
    const details = await Promise.all(chunk.map((s) => get(s.id)));
    chunk.forEach((session, k) => out.push({ session, trials: details[k]!.trials }));
  }
  return out;
}

/**
 * The personal panel of the history page: the performance map (from the front and from above,
 * over weeks or the last session) and the trends with their 4-week projection, from the
 * patient's trials fetched through the sessions API. Display only: placement is not wired.
 */
export function PersonalPanel({
  patient,
  sessions,
}: {
  patient: PatientRecord;
  sessions: SessionRecord[];
}) {
  const { api } = useServices();
  const [resource] = useState(() =>
    createResource(() => fetchAll(sessions, (id) => api.getSession(id))),
  );
  const { state, reload } = useStore(resource);
  const [arm, setArm] = useState<Arm>(patient.affectedArm);
  const [scope, setScope] = useState<'weeks' | 'last'>('weeks');
  const data = useMemo(
    () => (state.data ? personalPanelData(patient.calibration, state.data, arm) : null),
    [state.data, patient.calibration, arm],
  );

  return (
    <section className="card" aria-labelledby="personal-title" data-testid="personal-panel">
      <h2 id="personal-title">Where practice is needed, and where recovery is heading</h2>
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="the trials">
        {data && (
          <>
            <div className="actions">
              {data.arms.length > 1 &&
                data.arms.map((a) => (
                  <button
                    key={a}
                    type="button"
                    aria-pressed={a === data.arm}
                    onClick={() => setArm(a)}
                  >
                    {a} arm
                  </button>
                ))}
              <button
                type="button"
                aria-pressed={scope === 'weeks'}
                onClick={() => setScope('weeks')}
              >
                Over weeks
              </button>
              <button
                type="button"
                aria-pressed={scope === 'last'}
                onClick={() => setScope('last')}
              >
                Last session
              </button>
            </div>
            <p className="muted">
              {data.arm} arm; colour: success (red 0 %, green 100 %, grey: no trials). Over weeks, a
              session 5 sessions back counts half.
              {data.unmapped > 0 && ` ${data.unmapped} trials have no sector (no calibration).`}
            </p>
            <div className="chart-grid">
              <FrontView
                sectors={scope === 'weeks' ? data.overWeeks : data.lastSession}
                arm={data.arm}
              />
              <TopView
                columns={scope === 'weeks' ? data.overWeeksFromAbove : data.lastSessionFromAbove}
                arm={data.arm}
              />
            </div>
            <h3>Trends</h3>
            <div className="chart-grid">
              {data.trends.map((t) => (
                <TrendChart key={t.measure} report={t} />
              ))}
            </div>
          </>
        )}
      </RequestStatus>
    </section>
  );
}
