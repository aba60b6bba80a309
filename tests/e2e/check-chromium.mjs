// Fails fast, before a long build, when the browser the end-to-end suite needs is missing.
import { existsSync } from 'node:fs';

const chromePath = process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium';
if (!existsSync(chromePath)) {
  console.error(
    `End-to-end tests need Chromium at ${chromePath} (set CHROME_PATH to use another).\n` +
      'Install it with:  apt-get install -y chromium',
  );
  process.exit(1);
}
