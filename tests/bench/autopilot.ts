import type { Page } from 'playwright-core';

declare global {
  interface Window {
    __reachAutopilot?: ReturnType<typeof setInterval>;
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
