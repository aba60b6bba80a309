import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD } from '../support/clinic';
import { login } from '../support/server';
import { pairFreshHeadset, type GameClinic } from './game-driver';

/** The URLs the built worker precaches, read from its precache list (`sw.js`). */
export async function precacheList(origin: string): Promise<string[]> {
  const worker = await (await fetch(`${origin}/sw.js`)).text();
  const urls = [...worker.matchAll(/\burl:"([^"]+)"/g)].map((m) => new URL(m[1]!, origin).href);
  if (urls.length === 0) throw new Error('no precache list in sw.js');
  return urls;
}

/**
 * Waits until the page's service worker is active and every file of its precache list is in the
 * cache, i.e. the next load of the page can start without network.
 */
export async function offlineReady(page: Page, origin: string): Promise<void> {
  const wanted = await precacheList(origin);
  const missing = () =>
    page.evaluate(async (wanted) => {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration?.active?.state !== 'activated') return ['(no active worker)'];
      const cached = new Set<string>();
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys()) {
          const url = new URL(request.url);
          url.searchParams.delete('__WB_REVISION__');
          cached.add(url.href);
        }
      return wanted.filter((url) => !cached.has(url));
    }, wanted);
  // An async predicate would not do for page.waitForFunction (a promise is truthy at once).
  await expect.poll(missing, { timeout: 120_000, interval: 500 }).toEqual([]);
}

/** Every URL the origin's caches hold (the worker's precache and its runtime caches). */
export const cachedUrls = (page: Page): Promise<string[]> =>
  page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
  });

/** The states of the page's registration: which worker runs the app, which one waits. */
export const workerStates = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      controlled: navigator.serviceWorker.controller !== null,
      controllerIsActive: navigator.serviceWorker.controller === registration?.active,
      active: registration?.active?.state ?? null,
      waiting: registration?.waiting?.state ?? null,
    };
  });

/** The therapist of the installed-app tests (useGameClinic). */
export const APP_THERAPIST = 'dr-ames';

/**
 * The one online visit: the clinic's therapist signed in (`token`), a new patient paired with a fresh
 * headset page (pairFreshHeadset, same options), and the app installed on it for offline use.
 */
export async function pairInstalledHeadset(
  { server, browser, username }: GameClinic,
  patientCode: string,
  params: string,
  options: Parameters<typeof pairFreshHeadset>[5] = {},
): Promise<{ token: string; patientId: string; headset: Page }> {
  const token = await login(server.url, username, PASSWORD);
  const paired = await pairFreshHeadset(
    browser.context,
    server.url,
    token,
    patientCode,
    params,
    options,
  );
  await offlineReady(paired.headset, server.url);
  return { token, ...paired };
}
