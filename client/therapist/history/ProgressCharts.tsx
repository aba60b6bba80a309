import { useMemo } from 'react';
import { SCALES, type Arm, type ScaleEntry } from '../../../shared/clinical';
import type { PatientRecord, SessionRecord } from '../../../shared/protocol/http';
import { UPlotChart, type ChartMark, type SeriesSpec } from '../../common/ui/UPlotChart';
import { formatDateTime } from '../ui/format';
import {
  ARM_COLOURS,
  armLabel,
  armPoints,
  playedBothArms,
  sessionAsymmetry,
  type ArmMeasure,
} from './arm-measures';
import type { LevelScaleChange } from './level-scale-changes';
import {
  dayToSeconds,
  hasValues,
  multiSeriesColumns,
  sharedTimeRange,
  timed,
  type TimedPoint,
} from './progress-chart-data';
import { measurePoints } from './session-measures';
import type { ChartColumns } from '../live/live-chart-data';

const ARMS: readonly Arm[] = ['left', 'right'];

interface ChartSpec {
  key: string;
  title: string;
  unit: string;
  columns: ChartColumns;
  series: SeriesSpec[];
  yRange?: [number, number];
  marks?: readonly ChartMark[];
  note?: string;
}

const ARM_MEASURES: readonly { key: ArmMeasure; title: string; unit: string; note?: string }[] = [
  {
    key: 'level',
    title: 'Difficulty level at session end',
    unit: '0-100',
    note: "Each arm's level is on its own scale, set by that arm's bounds.",
  },
  {
    key: 'successRate',
    title: 'Success rate',
    unit: '%',
    note: 'The staircase holds success near its target by design, so progress shows in the level and the movement measures, not in the success rate.',
  },
  { key: 'movementTime', title: 'Movement time, mean', unit: 's' },
  { key: 'pathRatio', title: 'Path ratio, mean (1 = straight)', unit: '' },
  { key: 'sparc', title: 'Smoothness (SPARC), mean; closer to 0 is smoother', unit: '' },
];

const day = (iso: string) => formatDateTime(iso).replace(/,? \d{1,2}:\d{2}.*$/, '');

/**
 * Progress across sessions and clinical scales on one time axis: each arm its own series (never
 * pooled), the level with the therapist's changes of its scale marked, the asymmetry index of
 * sessions that played both arms, and the scales the therapist recorded.
 */
export function ProgressCharts({
  patient,
  sessions,
  scales,
  levelChanges,
}: {
  patient: PatientRecord;
  sessions: readonly SessionRecord[];
  scales: readonly ScaleEntry[];
  levelChanges: readonly LevelScaleChange[];
}) {
  const affected = patient.affectedArm;
  const charts = useMemo((): ChartSpec[] => {
    const armSeries = ARMS.map((arm) => ({
      label: armLabel(arm, affected),
      stroke: ARM_COLOURS[arm],
    }));
    const marks: ChartMark[] = levelChanges.map((c) => ({
      x: Date.parse(c.at) / 1000,
      label: `${day(c.at)}, bounds of the ${c.arms.join(' and ')} arm changed (levels before and after are not comparable)`,
    }));
    const perArm = ARM_MEASURES.map((m) => ({
      key: m.key,
      title: m.title,
      unit: m.unit,
      columns: multiSeriesColumns(ARMS.map((arm) => timed(armPoints(sessions, arm, m.key)))),
      series: armSeries,
      yRange:
        m.key === 'successRate' || m.key === 'level' ? ([0, 100] as [number, number]) : undefined,
      marks: m.key === 'level' ? marks : undefined,
      note: m.note,
    }));
    const bilateral = sessions.filter(playedBothArms);
    const asymmetryKeys = [
      ['movementTime', 'Movement time', '#6a3d9a'],
      ['pathRatio', 'Path ratio', '#2e7d4f'],
      ['sparc', 'SPARC', '#8a5a00'],
    ] as const;
    const asymmetry: ChartSpec = {
      key: 'asymmetry',
      title: 'Asymmetry index, affected against other arm',
      unit: '%',
      columns: multiSeriesColumns(
        asymmetryKeys.map(([key]) =>
          bilateral.map((s) => ({
            t: Date.parse(s.startedAt) / 1000,
            value: sessionAsymmetry(s, affected, key).value,
          })),
        ),
      ),
      series: asymmetryKeys.map(([, label, stroke]) => ({ label, stroke })),
      yRange: [-100, 100],
      note: 'Sessions that played both arms. Above 0: the affected arm does worse; 0: both alike.',
    };
    const scaleCharts = SCALES.map((info) => ({
      key: `scale-${info.key}`,
      title: info.display,
      unit: info.unit,
      columns: multiSeriesColumns(
        ARMS.map((arm): TimedPoint[] =>
          scales
            .filter((e) => e.scale === info.key && e.arm === arm)
            .map((e) => ({ t: dayToSeconds(e.measuredOn), value: e.value })),
        ),
      ),
      series: armSeries,
      yRange: [info.min, info.max] as [number, number],
      note: 'Measured by the therapist on the day shown.',
    }));
    const workspace: ChartSpec = {
      key: 'reachWorkspace',
      title: 'Reach workspace (calibrated)',
      unit: 'm',
      columns: multiSeriesColumns([timed(measurePoints(sessions, 'reachWorkspace'))]),
      series: [{ label: 'Arms trained', stroke: '#2f6f9f' }],
    };
    const minutes: ChartSpec = {
      key: 'activeMinutes',
      title: 'Active minutes',
      unit: 'min',
      columns: multiSeriesColumns([timed(measurePoints(sessions, 'activeMinutes'))]),
      series: [{ label: 'Both arms', stroke: '#2f6f9f' }],
    };
    return [...perArm, asymmetry, ...scaleCharts, workspace, minutes];
  }, [sessions, scales, levelChanges, affected]);

  // Every chart shares one time axis: sessions, scale dates and bound changes alike.
  const xRange = useMemo(
    () =>
      sharedTimeRange([
        ...sessions.map((s) => Date.parse(s.startedAt) / 1000),
        ...scales.map((e) => dayToSeconds(e.measuredOn)),
        ...levelChanges.map((c) => Date.parse(c.at) / 1000),
      ]),
    [sessions, scales, levelChanges],
  );

  return (
    <section className="card" aria-labelledby="progress-title" data-testid="progress-charts">
      <h2 id="progress-title">Progress across sessions</h2>
      <p className="muted">
        Each arm has its own line ({armLabel('left', affected)} blue, {armLabel('right', affected)}{' '}
        orange); the clinical scales share the same time axis.
      </p>
      <div className="chart-grid">
        {charts.map((c) =>
          hasValues(c.columns) ? (
            <div key={c.key} data-testid={`chart-${c.key}`}>
              <UPlotChart
                title={`${c.title}${c.unit ? ` (${c.unit})` : ''}`}
                data={c.columns}
                series={c.series}
                time
                xLabel="Date"
                yLabel={c.unit}
                yRange={c.yRange}
                xRange={xRange}
                marks={c.marks}
                note={c.note}
                width={440}
                height={180}
              />
            </div>
          ) : (
            <p key={c.key} className="muted chart-empty" data-testid={`chart-empty-${c.key}`}>
              {c.title}: no data yet.
            </p>
          ),
        )}
      </div>
    </section>
  );
}
