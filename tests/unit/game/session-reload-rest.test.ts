import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import {
  decideResume,
  restedBeforeReload,
  type ResumeSnapshot,
} from '../../../shared/game/session-resume';
import { T0, frameInput, playSession } from './session-fixtures';

/** A headset page reloaded in a rest: the rest goes on where it stood, its seconds all counted. */

/** Two sets of two touches with a 30 s rest between them. */
const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [{ task: 'touch', sets: 2, repetitions: 2 }],
  restSeconds: 30,
};

function runUntilPhase(s: ReturnType<typeof playSession>, phase: string) {
  for (let i = 0; i < 5000 && s.state.phase !== phase; i++) s.runTo(s.input.t + 0.02);
  expect(s.state.phase).toBe(phase);
}

function hitNext(s: ReturnType<typeof playSession>) {
  runUntilPhase(s, 'running');
  s.targetEntered();
  runUntilPhase(s, 'judged');
}

describe('a reload in a rest', () => {
  it('rests only what was left of it, and counts the whole rest as active time', () => {
    const first = playSession(plan);
    hitNext(first);
    hitNext(first);
    runUntilPhase(first, 'rest');
    const restStart = first.input.t;
    const elapsedAtRest = first.state.elapsed;
    const saved = first.of('progress').at(-1)!.snapshot;
    expect(saved.restStartedAt).toBe(new Date(T0 + Math.round(restStart * 1000)).toISOString());
    // 10 s into the rest the page reloads; the new page takes the session up 2 s later.
    first.runTo(restStart + 10);
    const input = frameInput();
    input.t = restStart + 12;
    const decision = decideResume({ ...saved, patientId: 'p1' } as ResumeSnapshot, {
      nowMs: T0 + Math.round(input.t * 1000),
      patientId: 'p1',
      plan,
    });
    if (decision.kind !== 'resume') throw new Error(`not resumed: ${decision.kind}`);
    const second = playSession(plan, { resume: decision.snapshot }, input);
    second.runTo(input.t + 0.02);
    expect(second.view()).toMatchObject({ status: 'rest', restSecondsLeft: 18 });
    expect(second.state.elapsed).toBeCloseTo(elapsedAtRest + 12 + 0.02, 6);
    // A snapshot saved in the resumed rest keeps the rest's own start (a second reload).
    expect(second.of('progress').at(-1)!.snapshot.restStartedAt).toBe(saved.restStartedAt);
    // The rest ends 30 s after it began, not 30 s after the reload.
    second.runTo(restStart + 29.9);
    expect(second.state.phase).toBe('rest');
    second.runTo(restStart + 30.04);
    expect(second.state.phase).toBe('instructions');
    expect(second.state.restsDone).toBe(1);
    expect(second.state.elapsed).toBeCloseTo(elapsedAtRest + 30.04, 6);
  });

  it('a snapshot saved outside a rest carries none', () => {
    const first = playSession(plan);
    hitNext(first);
    expect(first.of('progress').at(-1)!.snapshot.restStartedAt).toBeNull();
  });

  it('what a rest has run: since its start, at most the rest, none when unknown', () => {
    const start = '2026-03-02T09:00:00.000Z';
    const at = (s: number) => Date.parse(start) + s * 1000;
    expect(restedBeforeReload(start, at(12.5), 30)).toBe(12.5);
    expect(restedBeforeReload(start, at(95), 30)).toBe(30);
    expect(restedBeforeReload(start, at(-5), 30)).toBe(0);
    expect(restedBeforeReload(null, at(12), 30)).toBe(0);
    expect(restedBeforeReload('not a time', at(12), 30)).toBe(0);
  });
});
