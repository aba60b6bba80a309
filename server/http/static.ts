import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/**
 * The built pages, and the WebXR input profiles so controllers appear without the internet.
 * `/therapist/...` deep links fall back to the dashboard's page (client-side routing).
 */
export function staticRoutes(clientDir: string, xrProfilesDir: string): Router {
  const router = Router();
  router.use('/xr-profiles', express.static(xrProfilesDir, { maxAge: '7d', fallthrough: false }));
  router.use(express.static(clientDir, { index: 'index.html', maxAge: 0 }));
  router.get(/^\/therapist(\/.*)?$/, (_req, res, next) => {
    const page = join(clientDir, 'therapist', 'index.html');
    if (existsSync(page)) res.sendFile(page);
    else next();
  });
  router.get('/', (_req, res) => {
    res
      .status(503)
      .type('text/plain')
      .send('The client is not built yet: run `npx vite build` (npm start does it for you).');
  });
  return router;
}
