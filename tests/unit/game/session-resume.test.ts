import { describe, expect, it } from 'vitest';
import { DEFAULT_DIFFICULTY, DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import {
  decideResume,
  endedWhileAway,
  parseResumeSnapshot,
  RESUME_IDLE_LIMIT_MS,
  RESUME_MAX_AGE_MS,
  resumePoint,
  samePlan,
  type ResumeSnapshot,
} from '../../../shared/game/session-resume';

const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [
    { task: 'touch', sets: 2, repetitions: 3 },
    { task: 'hold', sets: 1, repetitions: 2, holdSeconds: 2 },
  ],
  restSeconds: 20,
};

const startedAt = '2026-03-02T09:00:00.000Z';
const savedAt = '2026-03-02T09:10:00.000Z';
const snapshot: ResumeSnapshot = {
  version: 1,
  sessionId: '7f0c2a44-5a55-4a4e-9b0f-3f2d8f1c9a11',
  patientId: 'p1',
  mode: 'live',
  startedAt,
  savedAt,
  plan,
  trialsDone: 4,
  restsDone: 1,
  elapsedActiveSeconds: 300,
  levels: { left: 50, right: 58 },
  levelStart: 50,
  difficulty: {
    left: structuredClone(DEFAULT_DIFFICULTY),
    right: structuredClone(DEFAULT_DIFFICULTY),
  },
  taskOverride: null,
  armOverride: null,
  score: 40,
  streak: 2,
  bestStreak: 3,
  summaryTrials: [{ outcome: 'hit', levelBefore: 50, levelAfter: 52, metrics: null }],
};
const at = (iso: string, plusMs = 0) => Date.parse(iso) + plusMs;
const context = { nowMs: at(savedAt, 60_000), patientId: 'p1', plan };

describe('where a reloaded session continues', () => {
  it('is the plan step after the recorded progress: set 2, repetition 2 of the first task', () => {
    expect(resumePoint(snapshot)).toMatchObject({
      kind: 'trial',
      task: 'touch',
      taskIndex: 0,
      set: 2,
      repetition: 2,
      trialIndex: 4,
      firstOfSet: false,
    });
  });

  it('is the rest that was due when the reload came before it finished', () => {
    expect(resumePoint({ ...snapshot, trialsDone: 6, restsDone: 1 })).toEqual({
      kind: 'rest',
      seconds: 20,
      nextTask: 'hold',
      nextTaskIndex: 1,
      nextSet: 1,
      newTask: true,
    });
  });
});

describe('whether a reloaded headset may resume its session', () => {
  it('resumes the same session within its lifetime, with the same plan and pairing', () => {
    const decision = decideResume(snapshot, context);
    expect(decision).toMatchObject({ kind: 'resume', snapshot: { sessionId: snapshot.sessionId } });
    expect(decision.kind === 'resume' && decision.next).toMatchObject({ set: 2, trialIndex: 4 });
  });

  it('resumes whatever the key order of an equal plan', () => {
    const { restSeconds, ...others } = plan;
    const reordered = { restSeconds, ...others } as SessionPlan;
    expect(Object.keys(reordered)[0]).toBe('restSeconds');
    expect(samePlan(reordered, plan)).toBe(true);
    expect(decideResume(snapshot, { ...context, plan: reordered }).kind).toBe('resume');
  });

  it('abandons it, ending at its last progress, once idle longer than the limit', () => {
    expect(
      decideResume(snapshot, { ...context, nowMs: at(savedAt, RESUME_IDLE_LIMIT_MS) }).kind,
    ).toBe('resume');
    expect(
      decideResume(snapshot, { ...context, nowMs: at(savedAt, RESUME_IDLE_LIMIT_MS + 1) }),
    ).toEqual({
      kind: 'abandon',
      snapshot,
      why: 'expired',
      endedAt: savedAt,
    });
  });

  it('abandons it once it started longer ago than a sitting lasts, even if recently active', () => {
    const late = { ...snapshot, savedAt: new Date(at(startedAt, RESUME_MAX_AGE_MS)).toISOString() };
    expect(
      decideResume(late, { ...context, nowMs: at(startedAt, RESUME_MAX_AGE_MS + 1) }),
    ).toMatchObject({
      kind: 'abandon',
      why: 'expired',
    });
  });

  it('abandons it when the clock went back (how long ago cannot be told)', () => {
    expect(decideResume(snapshot, { ...context, nowMs: at(savedAt, -1) })).toMatchObject({
      kind: 'abandon',
      why: 'expired',
    });
  });

  it('abandons it when the plan changed meanwhile', () => {
    const changed: SessionPlan = { ...plan, restSeconds: 30 };
    expect(decideResume(snapshot, { ...context, plan: changed })).toMatchObject({
      kind: 'abandon',
      why: 'plan_changed',
      endedAt: savedAt,
    });
  });

  it("leaves another pairing's session alone and starts fresh without one", () => {
    expect(decideResume(snapshot, { ...context, patientId: 'p2' })).toEqual({
      kind: 'discard',
      snapshot,
    });
    expect(decideResume(null, context)).toEqual({ kind: 'none' });
  });

  it('reads back what it stored, and nothing damaged', () => {
    expect(parseResumeSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
    expect(parseResumeSnapshot({ ...snapshot, version: 2 })).toBeNull();
    expect(parseResumeSnapshot({ ...snapshot, trialsDone: -1 })).toBeNull();
    expect(parseResumeSnapshot({ ...snapshot, plan: { ...plan, tasks: [] } })).toBeNull();
    expect(parseResumeSnapshot('{')).toBeNull();
  });
});

describe('whether the server says a resumed session has already ended', () => {
  const sessionId = '7d1f3c52-3a7e-4d8e-9b0a-2f4c6e8a1b3d';
  const otherId = '0b9e2a1c-5d4f-4e3a-8c7b-6a5d4c3b2a19';
  const ended = { endedAt: '2026-11-29T10:00:00.000Z', reason: 'therapist' };

  it('ends the game only on an answer about its own session that names an end', () => {
    expect(endedWhileAway(sessionId, { sessionId, ended })).toBe(true);
    expect(endedWhileAway(sessionId, { sessionId, ended: { ...ended, reason: null } })).toBe(true);
    expect(endedWhileAway(sessionId, { sessionId })).toBe(false);
    expect(endedWhileAway(sessionId, { sessionId: otherId, ended })).toBe(false);
  });

  it('plays on when the answer cannot be read', () => {
    expect(endedWhileAway(sessionId, undefined)).toBe(false);
    expect(endedWhileAway(sessionId, { sessionId, ended: { endedAt: 'yesterday' } })).toBe(false);
  });
});
