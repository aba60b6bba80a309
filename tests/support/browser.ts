import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's real binary; the /usr/bin/chromium wrapper script misbehaves headless here. */
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium';

/**
 * Flags that work on these machines: software WebGL2 through SwiftShader, and no background
 * networking (the closed network refuses Chromium's own connections).
 */
const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--ignore-certificate-errors',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh headless Chromium with an empty profile, removed again on close. */
export async function launchBrowser(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<LaunchedBrowser> {
  if (!existsSync(CHROME_PATH)) {
    throw new Error(`Chromium not found at ${CHROME_PATH}: apt-get install -y chromium`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'reach-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROME_PATH,
    headless: true,
    // diagnosis only, e.g. REACH_EXTRA_CHROME_ARGS='--js-flags=--trace-gc' with DEBUG=pw:browser
    args: [
      ...CHROME_ARGS,
      ...(process.env.REACH_EXTRA_CHROME_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    viewport: options.viewport ?? { width: 1024, height: 768 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects console errors and uncaught page errors so a test can assert there were none. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
