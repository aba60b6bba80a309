import type { BrowserContext, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import type { TestSnapshot } from '../../client/patient/game/test-handle';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, PASSWORD } from '../support/clinic';
import { addTherapist, login, startServer, type RunningServer } from '../support/server';

export type V3 = [number, number, number];
export type Pointer = 'controller-right' | 'hand-right' | 'controller-left';

/** Reads the game's state through the test handle (a plain copy). */
export const gameState = (page: Page): Promise<TestSnapshot> =>
  page.evaluate(() => window.__reach!.getState());

/**
 * Moves the emulated right controller (or hand) so that the game's effector (grip point or index
 * tip, a few centimetres from the device's own origin) ends at `target`, in XR reference space.
 */
export async function reachTo(page: Page, pointer: Pointer, target: V3, seconds: number) {
  await page.evaluate(
    async ({ pointer, target, seconds }) => {
      const reach = window.__reach!;
      const side = pointer === 'controller-left' ? 'left' : 'right';
      const effector = reach.getState().effectorWorld[side];
      const source =
        pointer === 'hand-right' ? reach.device.hands.right! : reach.device.controllers[side]!;
      const p = source.position;
      await reach.device.remote.dispatch('animate_to', {
        device: pointer,
        position: {
          x: target[0] - (effector[0] - p.x),
          y: target[1] - (effector[1] - p.y),
          z: target[2] - (effector[2] - p.z),
        },
        duration: seconds,
      });
    },
    { pointer, target, seconds },
  );
}

/**
 * A reach from rest: a hand still resting on the last target, where the next one appeared, draws
 * back first as a patient's would (the game counts a contact only after the hand has left the
 * target), then reaches.
 */
export async function reachFromRest(page: Page, pointer: Pointer, target: V3, seconds: number) {
  const side = pointer === 'controller-left' ? 'left' : 'right';
  const effector = (await gameState(page)).effectorWorld[side];
  const gap = Math.hypot(target[0] - effector[0], target[1] - effector[1], target[2] - effector[2]);
  if (gap < 0.15) {
    await page.evaluate(async (pointer) => {
      const reach = window.__reach!;
      const side = pointer === 'controller-left' ? 'left' : 'right';
      const source =
        pointer === 'hand-right' ? reach.device.hands.right! : reach.device.controllers[side]!;
      const p = source.position;
      await reach.device.remote.dispatch('animate_to', {
        device: pointer,
        position: { x: p.x, y: p.y - 0.1, z: p.z + 0.2 },
        duration: 0.3,
      });
    }, pointer);
    await page.waitForTimeout(500);
  }
  await reachTo(page, pointer, target, seconds);
}

export async function setInputMode(page: Page, mode: 'hand' | 'controller') {
  await page.evaluate(
    (mode) => window.__reach!.device.remote.dispatch('set_input_mode', { mode }),
    mode,
  );
  // the effector switches on the next frames
  await page.waitForFunction(
    (wanted) => window.__reach!.getState().inputMode === wanted,
    mode === 'hand' ? 'hands' : 'controllers',
    { timeout: 10_000 },
  );
}

export async function squeeze(page: Page, value: 0 | 1) {
  await page.evaluate(
    (v) => window.__reach!.device.controllers.right!.updateButtonValue('squeeze', v),
    value,
  );
}

/** Waits until a trial's targets are shown (or the session ended) and returns the state. */
export async function nextTrial(page: Page): Promise<TestSnapshot> {
  await page.waitForFunction(
    () => {
      const s = window.__reach!.getState();
      return (s.status === 'running' && s.targets.length > 0) || s.status === 'ended';
    },
    null,
    { timeout: 30_000, polling: 50 },
  );
  return gameState(page);
}

export async function trialCountAbove(page: Page, n: number): Promise<TestSnapshot> {
  await page.waitForFunction((n) => window.__reach!.getState().trials.length > n, n, {
    timeout: 30_000,
    polling: 50,
  });
  return gameState(page);
}

/**
 * The calibration routine of one arm (the right unless told): from the shoulder the game estimates
 * (head - 0.2 m, 0.18 m to that side), reach forward, outward, up and across and hold still in
 * each direction, with that arm's controller.
 */
export async function calibrate(
  page: Page,
  reach: Record<'forward' | 'outward' | 'up' | 'across', number>,
  side: 'left' | 'right' = 'right',
) {
  const s = await gameState(page);
  const [hx, hy, hz] = s.headWorld;
  const out = side === 'right' ? 1 : -1;
  const sh: V3 = [hx + out * 0.18, hy - 0.2, hz];
  const poses: V3[] = [
    [sh[0], sh[1], sh[2] - reach.forward],
    [sh[0] + out * reach.outward, sh[1], sh[2] - 0.1],
    [sh[0], sh[1] + reach.up, sh[2] - 0.15],
    [sh[0] - out * reach.across, sh[1], sh[2] - 0.25],
  ];
  const pointer: Pointer = side === 'right' ? 'controller-right' : 'controller-left';
  for (const pose of poses) {
    const before = (await gameState(page)).calibrationStep;
    await reachTo(page, pointer, pose, 0.6);
    await page.waitForFunction((b) => window.__reach!.getState().calibrationStep !== b, before, {
      timeout: 10_000,
    });
  }
}

/** Closes (1) or opens (0) the pinch of the emulated hands on the given sides. */
export async function pinch(page: Page, sides: ('left' | 'right')[], value: 0 | 1) {
  await page.evaluate(
    ({ sides, value }) => {
      for (const side of sides) window.__reach!.device.hands[side]!.updatePinchValue(value);
    },
    { sides, value },
  );
}

/**
 * Answers every set-end rating prompt of this page with a skip, across reloads: for tests about
 * other things that play whole sets (the prompt itself is tested in game-ratings.test.ts).
 */
export async function skipRatingPrompts(page: Page): Promise<void> {
  const install = () => {
    const w = window as unknown as { __reachSkipsRatings?: boolean };
    if (w.__reachSkipsRatings) return;
    w.__reachSkipsRatings = true;
    setInterval(() => {
      const reach = window.__reach;
      if (reach?.ready && reach.peek().status === 'rating') reach.rate(null, null);
    }, 100);
  };
  await page.addInitScript(install);
  await page.evaluate(install);
}

/** A point `fraction` (0..1) along a slider of the set-end prompt, in XR reference space. */
async function sliderPoint(page: Page, slider: 'effort' | 'pain', value: number): Promise<V3> {
  const layout = (await gameState(page)).ratingPrompt;
  if (!layout.visible) throw new Error('the rating prompt is not shown');
  const { start, end } = layout[slider];
  const f = value / 10;
  return [0, 1, 2].map((i) => start[i]! + f * (end[i]! - start[i]!)) as V3;
}

/** Points the right controller's ray at `target` from `distance` metres in front of it. */
async function aimController(page: Page, target: V3, distance: number | null) {
  await page.evaluate(
    ({ target, distance }) =>
      window.__reach!.device.remote.dispatch('look_at', {
        device: 'controller-right',
        target: { x: target[0], y: target[1], z: target[2] },
        ...(distance === null ? {} : { moveToDistance: distance }),
      }),
    { target, distance },
  );
  await page.waitForTimeout(150);
}

const setTrigger = (page: Page, value: 0 | 1) =>
  page.evaluate(
    (value) =>
      window.__reach!.device.remote.dispatch('set_select_value', {
        device: 'controller-right',
        value,
      }),
    value,
  );

/**
 * Answers the set-end prompt as a patient with a controller would: for each slider, aim the ray
 * at its start, press the trigger, drag the ray to the value, let go; then aim at Done and press.
 */
export async function rateWithController(
  page: Page,
  answer: { effort: number; pain: number },
): Promise<void> {
  await setInputMode(page, 'controller');
  // The emulated ray's aim is not exact to one step of the scale: within one step is an answer.
  const close = async (slider: 'effort' | 'pain') => {
    const shown = (await gameState(page)).ratingPrompt[`${slider}Value`];
    return shown !== null && Math.abs(shown - answer[slider]) <= (slider === 'effort' ? 0.5 : 1);
  };
  for (const slider of ['effort', 'pain'] as const) {
    // A drag that did not take is done again, as a patient would.
    for (let drag = 0; drag < 3 && !(await close(slider)); drag++) {
      // Press in the middle of the track (its ends are easy to miss), then drag.
      await aimController(page, await sliderPoint(page, slider, 5), 0.35);
      await setTrigger(page, 1);
      await page.waitForTimeout(150);
      // Drag toward the value, then correct by what the slider shows, as a patient's eye would.
      let aim = answer[slider];
      for (let attempt = 0; attempt < 8; attempt++) {
        await aimController(page, await sliderPoint(page, slider, aim), null);
        const shown = (await gameState(page)).ratingPrompt[`${slider}Value`];
        if (shown === answer[slider] || shown === null) break;
        aim += answer[slider] - shown;
        await page.waitForTimeout(150);
      }
      await setTrigger(page, 0);
      await page.waitForTimeout(300);
    }
    if (!(await close(slider))) throw new Error(`the ${slider} slider did not take the answer`);
  }
  await aimController(page, (await gameState(page)).ratingPrompt.done, 0.35);
  await setTrigger(page, 1);
  await page.waitForTimeout(150);
  await setTrigger(page, 0);
}

/**
 * A new patient (`patientCode`, right arm, seated; with `plan` when given), a pairing code, and a
 * headset page of its own paired with it: the browser profile's earlier pairing and profile (same
 * origin) are forgotten first. `params` is the page's query after the code (`&automation=1...`).
 * The page is left on its entry screen, paired; `startPairedGame` starts it.
 */
export async function pairFreshHeadset(
  context: BrowserContext,
  serverUrl: string,
  token: string,
  patientCode: string,
  params: string,
  /**
   * `watch` sees the page before it loads anything (e.g. to collect its console errors).
   * `headsetUrl`: where the page loads from, when not `serverUrl` (e.g. a link a test can cut).
   */
  options: { plan?: unknown; watch?: (headset: Page) => void; headsetUrl?: string } = {},
): Promise<{ patientId: string; headset: Page }> {
  const patientId = (await createPatient(serverUrl, token, patientCode)).id;
  if (options.plan !== undefined) {
    const patched = await api(serverUrl, 'PATCH', `/api/patients/${patientId}`, token, {
      plan: options.plan,
    });
    if (patched.status !== 200) throw new Error(`plan: ${patched.status}`);
  }
  const { status, body } = await api<{ code: string }>(
    serverUrl,
    'POST',
    `/api/patients/${patientId}/pairing-code`,
    token,
  );
  if (status !== 201) throw new Error(`pairing code: ${status}`);
  const headset = await context.newPage();
  options.watch?.(headset);
  const origin = options.headsetUrl ?? serverUrl;
  await headset.goto(`${origin}/?automation=1`);
  await headset.evaluate(() => localStorage.clear());
  await headset.goto(`${origin}/?code=${body.code}${params}`);
  // The code in the address (as the QR code gives it) fills the pairing field.
  const filled = await headset.getByTestId('pair-code').inputValue();
  if (filled !== body.code) throw new Error(`pairing field holds ${filled}, not ${body.code}`);
  await headset.getByTestId('pair-button').click();
  await headset.getByTestId('start-paired').waitFor();
  return { patientId, headset };
}

/**
 * Starts the paired game and enters VR; every set-end rating prompt is skipped. `connected`: the
 * page is connected to the server before it enters VR.
 */
export async function startPairedGame(page: Page, { connected = false } = {}): Promise<void> {
  await page.getByTestId('start-paired').click();
  await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
  if (connected)
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="connection-status"]')?.textContent === 'connected',
    );
  await page.evaluate(() => window.__reach!.enterVR());
  await skipRatingPrompts(page);
}

/**
 * Closes (true) or opens (false) the emulated right hand's fist over `seconds`, as a hand does:
 * the fingers curl step by step, the index fingertip (the game's effector) with them, about 11 cm
 * back toward the palm. The emulator has no fist: its poses are built here, once per page, from
 * its own `point` pose (middle, ring and little fingers curled) with the index curled like the
 * middle finger, and the steps in between from its relaxed hand.
 */
export async function fist(page: Page, closed: boolean, seconds = 0.4) {
  await page.evaluate(
    async ({ closed, seconds, steps }) => {
      type Joint = { offsetMatrix: Float32Array; radius: number };
      type Pose = { jointTransforms: Record<string, Joint> };
      const reach = window.__reach!;
      const hand = reach.device.hands.right! as unknown as Record<symbol, unknown>;
      // The hand's poses sit under a private symbol of the emulator. IWER 2.5 has no public way
      // to add one: XRDevice builds both hands from its built-in oculusHandConfig (default, pinch,
      // point), and its public poseId, set_hand_pose and pinch value only choose among those.
      const internal = Object.getOwnPropertySymbols(hand)
        .map((key) => hand[key] as { poses?: Record<string, Pose> } | null)
        .find((value) => typeof value === 'object' && value !== null && 'poses' in value)!;
      const poses = internal.poses!;
      if (!poses[`fist-${steps}`]) {
        const open = poses.default!.jointTransforms;
        const point = poses.point!.jointTransforms;
        const closedHand: Record<string, Joint> = {};
        const indexBase = point['index-finger-metacarpal']!.offsetMatrix;
        const middleBase = point['middle-finger-metacarpal']!.offsetMatrix;
        for (const [name, joint] of Object.entries(point)) {
          const middle = name.replace('index-finger', 'middle-finger');
          if (!name.startsWith('index-finger') || name === 'index-finger-metacarpal') {
            closedHand[name] = joint;
            continue;
          }
          // The index curled as the middle finger is, from its own knuckle.
          const m = Float32Array.from(point[middle]!.offsetMatrix);
          for (const i of [12, 13, 14]) m[i] = m[i]! + indexBase[i]! - middleBase[i]!;
          closedHand[name] = { offsetMatrix: m, radius: joint.radius };
        }
        for (let step = 1; step <= steps; step++) {
          const f = step / steps;
          const jointTransforms: Record<string, Joint> = {};
          for (const [name, joint] of Object.entries(closedHand)) {
            const from = open[name]!.offsetMatrix;
            jointTransforms[name] = {
              offsetMatrix: Float32Array.from(
                joint.offsetMatrix,
                (v, i) => from[i]! + (v - from[i]!) * f,
              ),
              radius: joint.radius,
            };
          }
          poses[`fist-${step}`] = { jointTransforms };
        }
      }
      for (let step = 1; step <= steps; step++) {
        const poseId = closed
          ? `fist-${step}`
          : step === steps
            ? 'default'
            : `fist-${steps - step}`;
        await reach.device.remote.dispatch('set_hand_pose', { device: 'hand-right', poseId });
        await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / steps));
      }
    },
    { closed, seconds, steps: 8 },
  );
}

/** The reach the paired-game tests calibrate with (metres from the shoulder). */
export const TEST_REACH = { forward: 0.5, outward: 0.45, up: 0.35, across: 0.25 };

export interface PlayingHeadset {
  patientId: string;
  page: Page;
  /** The page's console errors, gathered from its first load. */
  errors: string[];
}

/**
 * The set-up of the paired-game tests: a new patient (with `plan` when given) on a fresh headset
 * page (pairFreshHeadset), the game started and connected to the server, in VR with every
 * set-end rating prompt skipped, and calibrated (`reach`, for `arm`). The page then waits for its
 * first trial. `headsetUrl`: as for pairFreshHeadset.
 */
export async function startPairedGameWithPlan(
  context: BrowserContext,
  serverUrl: string,
  token: string,
  patientCode: string,
  params: string,
  options: {
    plan?: unknown;
    reach?: typeof TEST_REACH;
    arm?: 'left' | 'right';
    headsetUrl?: string;
  } = {},
): Promise<PlayingHeadset> {
  let errors: string[] = [];
  const { patientId, headset: page } = await pairFreshHeadset(
    context,
    serverUrl,
    token,
    patientCode,
    params,
    {
      plan: options.plan,
      headsetUrl: options.headsetUrl,
      watch: (headset) => (errors = collectConsoleErrors(headset)),
    },
  );
  await startPairedGame(page, { connected: true });
  await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
  await calibrate(page, options.reach ?? TEST_REACH, options.arm ?? 'right');
  return { patientId, page, errors };
}

/** The server, therapist account and browser of a file's headset-page tests. */
export interface GameClinic {
  server: RunningServer;
  browser: LaunchedBrowser;
  /** The therapist's account (password PASSWORD). */
  username: string;
  /** Therapist sockets opened by therapistSocket, closed after the tests. */
  sockets: Socket[];
}

/**
 * A server (with `env()`, read when it starts) with the therapist `username`, and a browser
 * (800 x 600), started before the enclosing describe's tests and closed after them; then
 * `cleanUp`.
 */
export function useGameClinic(
  username: string,
  options: { env?: () => Record<string, string>; cleanUp?: (server: RunningServer) => void } = {},
): GameClinic {
  const clinic = { username, sockets: [] } as unknown as GameClinic;
  beforeAll(async () => {
    clinic.server = await startServer(options.env === undefined ? {} : { env: options.env() });
    await addTherapist(clinic.server, username, PASSWORD);
    clinic.browser = await launchBrowser({ viewport: { width: 800, height: 600 } });
  });
  afterAll(async () => {
    for (const socket of clinic.sockets) socket.close();
    await clinic.browser?.close();
    await clinic.server?.close();
    if (clinic.server !== undefined) options.cleanUp?.(clinic.server);
  });
  return clinic;
}

/**
 * The clinic's therapist signed in (`token`), and the headset of a new patient `patientCode`
 * paired, calibrated and playing (startPairedGameWithPlan).
 */
export async function playClinicGame(
  clinic: GameClinic,
  patientCode: string,
  params: string,
  options: Parameters<typeof startPairedGameWithPlan>[5] = {},
): Promise<PlayingHeadset & { token: string }> {
  const { server, browser } = clinic;
  const token = await login(server.url, clinic.username, PASSWORD);
  const headset = await startPairedGameWithPlan(
    browser.context,
    server.url,
    token,
    patientCode,
    params,
    options,
  );
  return { ...headset, token };
}

/** A Socket.IO connection of the therapist (signed in as `token`), closed after the tests. */
export function therapistSocket(clinic: GameClinic, token: string): Socket {
  const socket = io(clinic.server.url, {
    auth: { protocolVersion: PROTOCOL_VERSION, token },
    transports: ['websocket'],
  });
  clinic.sockets.push(socket);
  return socket;
}

/** A therapist socket (therapistSocket) watching the patient; the session live when it began. */
export async function watchPatient(
  clinic: GameClinic,
  token: string,
  patientId: string,
): Promise<{ therapist: Socket; live: { sessionId: string } | null }> {
  const therapist = therapistSocket(clinic, token);
  const watch = (await therapist.emitWithAck('patient:watch', { patientId })) as {
    ok: boolean;
    data?: { live: { sessionId: string } | null };
  };
  if (!watch.ok) throw new Error(`patient:watch refused: ${JSON.stringify(watch)}`);
  return { therapist, live: watch.data!.live };
}

/** The reach the practice-game tests calibrate to, per direction (m). */
export const PRACTICE_REACH = { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 };

/**
 * A practice game (no pairing) at `url`, its right arm calibrated to PRACTICE_REACH: opened, its
 * practice started, in VR once the scene is ready, then through calibration.
 */
export async function startCalibratedPractice(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('start-practice').click();
  await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
  await page.evaluate(() => window.__reach!.enterVR());
  await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
  await calibrate(page, PRACTICE_REACH);
}
