/**
 * The personal core per trial: one finished trial added to the performance map and checked
 * against the patient's own baseline (then added to it), on a patient with a long history (2,000
 * trials over 40 sessions, every baseline group full). Also the whole map rebuilt from 10,000
 * stored trials, and everything the history page's personal panel computes for them (map, map
 * from above, last session, five trends): the pure part of drawing it; and that data drawn
 * (computed and rendered to markup), the dashboard's 200 ms figure.
 * `npx tsx tests/bench/personal.ts` runs this entry alone.
 */
import {
  addToBaseline,
  addTrialToMap,
  buildPerformanceMap,
  checkAgainstBaseline,
  createBaseline,
  createPerformanceMap,
  performanceMap,
  type PersonalTrial,
} from '../../shared/clinical/index';
import { seededRandom } from '../../shared/game/random';
import type { TrialResult } from '../../shared/protocol';
import type { SessionRecord } from '../../shared/protocol/http';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import {
  personalPanelData,
  type SessionWithTrials,
} from '../../client/therapist/history/personal-data';
import { FrontView, TopView, TrendChart } from '../../client/therapist/history/PersonalPanel';
import { median, quantile, result, sortedCopy, type BenchResult } from './report';

function history(count: number, sessions: number, seed: number): PersonalTrial[] {
  const random = seededRandom(seed);
  const trials: PersonalTrial[] = [];
  for (let i = 0; i < count; i++)
    trials.push({
      sessionId: `s${Math.floor((i * sessions) / count)}`,
      task: random() < 0.7 ? 'touch' : 'hold',
      arm: 'right',
      sector: 8 + Math.floor(random() * 12),
      outcome: random() < 0.75 ? 'hit' : 'miss_not_reached',
      metrics: {
        movementTime: 0.8 + random(),
        reactionTime: 0.3 + random() / 5,
        peakSpeed: 0.5 + random() / 2,
        sparc: -1.5 - random(),
        pathRatio: 1 + random() / 4,
        trunkRatioPct: 10 * random(),
      },
    });
  return trials;
}

export async function benchPersonal(): Promise<BenchResult[]> {
  const past = history(2000, 40, 1);
  const incoming = history(3000, 1, 2).map((t) => ({ ...t, sessionId: 'today' }));
  const map = createPerformanceMap('right');
  const baseline = createBaseline();
  for (const t of past) {
    addTrialToMap(map, t);
    addToBaseline(baseline, t);
  }
  let sink = 0;
  const perTrial = (t: PersonalTrial) => {
    const stats = addTrialToMap(map, t);
    const check = checkAgainstBaseline(baseline, t);
    addToBaseline(baseline, t);
    sink += (stats?.trials ?? 0) + check.flags.length;
  };
  for (const t of incoming.slice(0, 500)) perTrial(t); // warm-up
  const ms: number[] = [];
  for (const t of incoming.slice(500)) {
    const t0 = performance.now();
    perTrial(t);
    ms.push(performance.now() - t0);
  }
  const sorted = sortedCopy(ms);

  const stored = history(10_000, 150, 3);
  const rebuild: number[] = [];
  for (let r = 0; r < 11; r++) {
    const t0 = performance.now();
    sink += performanceMap(buildPerformanceMap(stored, 'right'))[10]!.trials;
    rebuild.push(performance.now() - t0);
  }
  // The dashboard panel's data for 10,000 stored trials in 150 sessions (targets, not sectors).
  const workspace = {
    arm: 'right' as const,
    posture: 'seated' as const,
    shoulder: [0.18, 1, 0] as [number, number, number],
    reach: { forward: 0.55, outward: 0.5, up: 0.35, across: 0.25 },
    measuredAt: '2026-01-01T00:00:00.000Z',
  };
  const random = seededRandom(4);
  const sessions: SessionWithTrials[] = Array.from({ length: 150 }, (_, s) => {
    const session: SessionRecord = {
      id: `s${s}`,
      patientId: 'p',
      mode: 'home',
      startedAt: new Date(Date.UTC(2026, 0, 1) + s * 86_400_000).toISOString(),
      endedAt: null,
      endReason: null,
      summary: {
        trials: 67,
        hits: 50,
        successRate: 0.75,
        levelStart: 50,
        levelEnd: 50 + s / 10,
        activeMinutes: 10,
        reachWorkspace: 0.4,
      },
    };
    const trials = stored
      .filter((t) => t.sessionId === `s${s}`)
      .map((t, i) => ({
        ...t,
        trialNumber: i + 1,
        target: [0.18 - 0.3 * random() + 0.1, 1 + 0.3 * random(), -0.3 - 0.2 * random()],
      })) as unknown as TrialResult[];
    return { session, trials };
  });
  const panel: number[] = [];
  for (let r = 0; r < 11; r++) {
    const t0 = performance.now();
    sink += personalPanelData({ right: workspace }, sessions, 'right').overWeeks[10]!.trials;
    panel.push(performance.now() - t0);
  }
  // The same data drawn: both map views and the five trend charts as the panel composes them,
  // rendered to markup (React's server renderer: the components' work, not the browser's layout
  // and paint, which a headless page would add).
  const drawn: number[] = [];
  for (let r = 0; r < 11; r++) {
    const t0 = performance.now();
    const data = personalPanelData({ right: workspace }, sessions, 'right');
    const markup = renderToString(
      createElement(
        'div',
        null,
        createElement(FrontView, { sectors: data.overWeeks, arm: data.arm }),
        createElement(TopView, { columns: data.overWeeksFromAbove, arm: data.arm }),
        ...data.trends.map((report) => createElement(TrendChart, { key: report.measure, report })),
      ),
    );
    drawn.push(performance.now() - t0);
    sink += markup.length;
  }
  if (!Number.isFinite(sink)) throw new Error('benchmark produced a non-finite result');
  return [
    result('personal.trialUpdateMs.median', median(sorted), 'ms'),
    result('personal.trialUpdateMs.p99', quantile(sorted, 0.99), 'ms'),
    result('personal.mapFrom10kTrialsMs.median', median(sortedCopy(rebuild)), 'ms'),
    result('personal.panelData10kTrialsMs.median', median(sortedCopy(panel)), 'ms'),
    result('personal.panelDrawn10kTrialsMs.median', median(sortedCopy(drawn)), 'ms'),
  ];
}

const entry = process.argv[1] ?? '';
if (/bench[\\/]personal\.(ts|js)$/.test(entry)) {
  benchPersonal().then((rows) => {
    console.table(
      rows.map((r) => ({ name: r.name, value: Number(r.value.toFixed(4)), unit: r.unit })),
    );
  });
}
