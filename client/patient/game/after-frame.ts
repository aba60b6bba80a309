/**
 * Work a frame hands on to a task of its own (records to the outbox, the resume snapshot in
 * storage, speech), so the XR frame that caused it is drawn and submitted first: the frame's own
 * budget is a couple of milliseconds. Jobs run in the order they were queued, each once, and a
 * job that throws does not stop the ones after it. `flush()` runs what is queued at once: the
 * page calls it when it is hidden or unloaded, so nothing queued is lost.
 */
export interface AfterFrameQueue {
  push(job: () => void): void;
  /** Runs every queued job now, in order (the page is going away). */
  flush(): void;
  /** Jobs waiting for their task. */
  readonly length: number;
}

/** Asks for `run` to be called in a later task (not a microtask: those run inside the frame). */
export type ScheduleTask = (run: () => void) => void;

/** A MessageChannel message: a task of its own, right after the current one, unthrottled. */
export function messageChannelTask(): ScheduleTask {
  const channel = new MessageChannel();
  let pending: (() => void) | null = null;
  channel.port1.onmessage = () => {
    const run = pending;
    pending = null;
    run?.();
  };
  return (run) => {
    pending = run;
    channel.port2.postMessage(null);
  };
}

export function createAfterFrameQueue(
  schedule: ScheduleTask = messageChannelTask(),
  onError: (error: unknown) => void = (error) => console.error('after-frame job failed', error),
): AfterFrameQueue {
  const jobs: (() => void)[] = [];
  let scheduled = false;
  const flush = () => {
    // Each job leaves the queue before it runs: one that queues more (they run in this pass too)
    // or flushes again (a page hidden meanwhile) never runs a job twice.
    while (jobs.length > 0) {
      const job = jobs.shift()!;
      try {
        job();
      } catch (error) {
        onError(error);
      }
    }
  };
  const run = () => {
    scheduled = false;
    flush();
  };
  return {
    push(job) {
      jobs.push(job);
      if (scheduled) return;
      scheduled = true;
      schedule(run);
    },
    flush,
    get length() {
      return jobs.length;
    },
  };
}
