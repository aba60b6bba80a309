import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startServer } from '../support/server';
import { buildClient, openCalibratedGame } from './headset';

/** A diagnosis script's `--name=value` argument, if given. */
export const scriptArg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/**
 * Runs a diagnosis script (heap-diff, alloc-profile, frame-spikes) on a game calibrated at
 * `query`, with a server and a browser of its own closed after it; the client is built first
 * unless `--no-build`. A failure is printed and becomes the exit code.
 */
export function diagnoseCalibratedGame(
  query: string,
  diagnose: (game: { page: Page; cdp: CDPSession }) => Promise<void>,
): void {
  const run = async () => {
    if (!process.argv.includes('--no-build')) buildClient();
    const server = await startServer({ env: { LOG_LEVEL: 'error' } });
    const browser = await launchBrowser({ viewport: { width: 960, height: 720 } });
    try {
      await diagnose(await openCalibratedGame(browser, server.url, query));
    } finally {
      await browser.close();
      await server.close();
    }
  };
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
