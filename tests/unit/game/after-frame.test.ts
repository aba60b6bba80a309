import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import { createAfterFrameQueue } from '../../../client/patient/game/after-frame';
import { createPlayAnchor } from '../../../client/patient/game/anchor';
import type { GameOutput } from '../../../client/patient/game/effects';
import { createGameSession, type SessionSink } from '../../../client/patient/game/game-session';
import { createGameStore } from '../../../client/patient/game/store';
import { options, uuid, workspace } from './session-fixtures';

/** A scheduler the test runs by hand: the "later task". */
function manualTasks() {
  const queued: (() => void)[] = [];
  return {
    schedule: (run: () => void) => void queued.push(run),
    queued,
    runAll() {
      while (queued.length > 0) queued.shift()!();
    },
  };
}

describe('the after-frame queue', () => {
  it('runs jobs in order in one later task, once each', () => {
    const tasks = manualTasks();
    const queue = createAfterFrameQueue(tasks.schedule);
    const ran: string[] = [];
    queue.push(() => ran.push('a'));
    queue.push(() => ran.push('b'));
    expect(ran).toEqual([]);
    expect(tasks.queued).toHaveLength(1);
    expect(queue.length).toBe(2);
    tasks.runAll();
    expect(ran).toEqual(['a', 'b']);
    expect(queue.length).toBe(0);
    queue.push(() => ran.push('c'));
    expect(tasks.queued).toHaveLength(1);
    tasks.runAll();
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('a job that throws does not stop the ones after it; one queued by a job runs in the same pass', () => {
    const tasks = manualTasks();
    const errors: unknown[] = [];
    const queue = createAfterFrameQueue(tasks.schedule, (e) => errors.push(e));
    const ran: string[] = [];
    queue.push(() => {
      throw new Error('storage full');
    });
    queue.push(() => {
      ran.push('b');
      queue.push(() => ran.push('queued by b'));
    });
    tasks.runAll();
    expect(ran).toEqual(['b', 'queued by b']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['storage full']);
  });

  it('flush runs everything at once (page hidden); the task scheduled before finds nothing to repeat', () => {
    const tasks = manualTasks();
    const queue = createAfterFrameQueue(tasks.schedule);
    const ran: string[] = [];
    queue.push(() => ran.push('a'));
    queue.push(() => {
      ran.push('b');
      queue.flush();
    });
    queue.push(() => ran.push('c'));
    queue.flush();
    expect(ran).toEqual(['a', 'b', 'c']);
    tasks.runAll();
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});

describe('the game session carries out records, progress and speech after the frame', () => {
  const plan: SessionPlan = {
    ...DEFAULT_PLAN,
    assessment: false,
    tasks: [{ task: 'touch', sets: 1, repetitions: 2 }],
  };

  function game() {
    const tasks = manualTasks();
    const calls: string[] = [];
    const sink: SessionSink = {
      sessionStarted: () => calls.push('sessionStarted'),
      trialFinished: (t) => calls.push(`trialFinished ${t.trialNumber} ${t.outcome}`),
      sessionEnded: (p) => calls.push(`sessionEnded ${p.reason}`),
      calibrationSaved: () => calls.push('calibrationSaved'),
      progressed: (s) => calls.push(`progressed ${s.trialsDone}`),
      setRated: () => calls.push('setRated'),
    };
    const output: GameOutput = {
      unlock: () => {},
      say: (text) => calls.push(`say ${text}`),
      play: (sound) => calls.push(`play ${sound}`),
      pulse: () => calls.push('pulse'),
      setWorldSounds: () => {},
      playWorld: () => {},
    };
    let ids = 0;
    const session = createGameSession({
      config: {
        mode: 'paired',
        live: true,
        plan,
        levels: { right: 50 },
        calibration: { right: workspace },
        options,
        ratings: { enabled: false, painPauseAt: 5 },
        seed: 1,
        newId: () => uuid(++ids),
      },
      store: createGameStore(),
      anchor: createPlayAnchor(),
      output,
      sink,
      afterFrame: createAfterFrameQueue(tasks.schedule),
    });
    const input = session.input;
    input.tracked.right = true;
    input.inputMode = 'controllers';
    input.head[1] = 1.6;
    input.effector.right[0] = 0.2;
    input.effector.right[1] = 1.1;
    input.effector.right[2] = -0.2;
    /** Frames at 50 Hz up to `until`; each frame's task (if any) runs when `runTasks`. */
    const runTo = (until: number, runTasks: boolean) => {
      while (input.t < until - 1e-9) {
        input.t = Math.round((input.t + 0.02) * 1000) / 1000;
        session.frame();
        if (runTasks) tasks.runAll();
      }
    };
    return { session, calls, tasks, runTo };
  }

  it('a trial recorded in a frame reaches the sink in the task after it, in order', () => {
    const g = game();
    g.runTo(0.02, false);
    // The frame itself only showed the instruction; the start and its snapshot wait for the task.
    expect(g.calls).toEqual([]);
    g.tasks.runAll();
    expect(g.calls).toEqual([
      'sessionStarted',
      'say Reach out and touch the yellow ball.',
      'progressed 0',
    ]);
    g.calls.length = 0;
    g.runTo(1.5, true);
    g.session.dispatch({ type: 'target-entered' });
    // Sound and pulse are the patient's feedback: at once.
    expect(g.calls).toEqual(['play success', 'pulse']);
    g.calls.length = 0;
    g.runTo(2.0, false);
    expect(g.calls).toEqual([]);
    expect(g.session.store.getState().trials).toHaveLength(1);
    g.tasks.runAll();
    expect(g.calls).toEqual(['trialFinished 1 hit', 'progressed 1']);
  });

  it('settle carries out at once what waits (the page is hidden)', () => {
    const g = game();
    g.runTo(1.5, true);
    g.session.dispatch({ type: 'target-entered' });
    g.calls.length = 0;
    g.runTo(2.02, false);
    g.session.settle();
    // The record with its snapshot, then the snapshot once the plan went on.
    const settled = ['trialFinished 1 hit', 'progressed 1', 'progressed 1'];
    expect(g.calls).toEqual(settled);
    g.tasks.runAll();
    expect(g.calls).toEqual(settled);
  });
});
