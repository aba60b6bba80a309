import type { Page } from 'playwright-core';

declare global {
  interface Window {
    __reachAutopilot?: ReturnType<typeof setInterval>;
    __reachTaskAutopilot?: { stop: boolean };
  }
}

/**
 * Installed once in the page: every 100 ms, reach the shown touch target with the right
 * controller, then draw back to where the hand started, as a patient would.
 */
function installTouchAutopilot(): void {
  const reach = window.__reach!;
  const controller = reach.device.controllers.right!;
  const rest = { x: controller.position.x, y: controller.position.y, z: controller.position.z };
  let phase: 'waiting' | 'reaching' | 'returning' = 'waiting';
  let stored = reach.peek().trialCount;
  window.__reachAutopilot = setInterval(() => {
    const s = reach.peek();
    if (phase === 'reaching' && s.trialCount > stored) {
      stored = s.trialCount;
      phase = 'returning';
      void reach.device.remote
        .dispatch('animate_to', { device: 'controller-right', position: rest, duration: 0.3 })
        .then(() => {
          phase = 'waiting';
        });
      return;
    }
    const target = s.target;
    if (phase !== 'waiting' || s.status !== 'running' || target === null) return;
    const effector = s.effectorRightWorld;
    const p = controller.position;
    phase = 'reaching';
    void reach.device.remote.dispatch('animate_to', {
      device: 'controller-right',
      position: {
        x: target[0] - (effector[0] - p.x),
        y: target[1] - (effector[1] - p.y),
        z: target[2] - (effector[2] - p.z),
      },
      duration: 0.5,
    });
  }, 100);
}

/**
 * Plays touch trials for `seconds` with the reaches made inside the page, so that the driver
 * makes no call during the window: each `page.evaluate` or `waitForFunction` is compiled and run
 * in the page, work and code a headset never has, and it landed in the game's frame and heap
 * figures. Returns the trials stored meanwhile.
 */
export async function playTouchByAutopilot(page: Page, seconds: number): Promise<number> {
  const before = await page.evaluate(() => window.__reach!.peek().trialCount);
  await page.evaluate(installTouchAutopilot);
  await page.waitForTimeout(seconds * 1000);
  return page.evaluate((n) => {
    clearInterval(window.__reachAutopilot);
    return window.__reach!.peek().trialCount - n;
  }, before);
}

/**
 * Installed once in the page: plays each trial as it comes with the right controller (touch and
 * hold: reach the target and stay; grasp: reach the object, squeeze, carry it to the goal, let go),
 * then draws back to where the hand started.
 */
function installTaskAutopilot(): void {
  const reach = window.__reach!;
  const controller = reach.device.controllers.right!;
  const rest = { x: controller.position.x, y: controller.position.y, z: controller.position.z };
  const control = { stop: false };
  window.__reachTaskAutopilot = control;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const moveTo = (p: { x: number; y: number; z: number }, duration: number) =>
    reach.device.remote.dispatch('animate_to', {
      device: 'controller-right',
      position: p,
      duration,
    });
  // where the controller must go for the game's effector to land on `at`
  const effectorTo = (at: [number, number, number], duration: number) => {
    const e = reach.peek().effectorRightWorld;
    const p = controller.position;
    return moveTo(
      { x: at[0] - (e[0] - p.x), y: at[1] - (e[1] - p.y), z: at[2] - (e[2] - p.z) },
      duration,
    );
  };
  const trialEnded = async (before: number, ms: number) => {
    for (let waited = 0; waited < ms && !control.stop; waited += 100) {
      if (reach.peek().trialCount > before) return;
      await sleep(100);
    }
  };
  void (async () => {
    while (!control.stop) {
      const s = reach.peek();
      if (s.status !== 'running' || s.target === null) {
        await sleep(100);
        continue;
      }
      if (s.task === 'grasp' && s.object !== null && s.goal !== null) {
        const goal = s.goal;
        await effectorTo(s.object, 0.5);
        controller.updateButtonValue('squeeze', 1);
        await sleep(150);
        await effectorTo(goal, 0.6);
        controller.updateButtonValue('squeeze', 0);
      } else {
        await effectorTo(s.target, 0.5);
      }
      await trialEnded(s.trialCount, 10_000);
      controller.updateButtonValue('squeeze', 0);
      await moveTo(rest, 0.3);
    }
  })();
}

/** As `playTouchByAutopilot`, every task of the plan as it comes. Returns the trials stored. */
export async function playTasksByAutopilot(page: Page, seconds: number): Promise<number> {
  const before = await page.evaluate(() => window.__reach!.peek().trialCount);
  // tsx names the inner functions with a helper of its own, absent from the page
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  await page.evaluate(installTaskAutopilot);
  await page.waitForTimeout(seconds * 1000);
  return page.evaluate((n) => {
    window.__reachTaskAutopilot!.stop = true;
    return window.__reach!.peek().trialCount - n;
  }, before);
}
