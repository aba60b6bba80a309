import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import {
  belongsInPrecache,
  filesReachableFrom,
  QUEST_INPUT_PROFILES,
  type BuiltChunk,
} from './client/patient/offline/precache-plan';

const root = resolve(import.meta.dirname, 'client');
const publicDir = resolve(import.meta.dirname, 'assets');
/** Served by the server at `/xr-profiles/` (server/config.ts `xrProfilesDir`). */
const xrProfilesDir = resolve(
  import.meta.dirname,
  'node_modules/@webxr-input-profiles/assets/dist/profiles',
);

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));

const revisionOf = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex');

/** The Quest's controller and hand layouts, precached from outside the build output. */
const inputProfileEntries = () => [
  {
    url: '/xr-profiles/profilesList.json',
    revision: revisionOf(join(xrProfilesDir, 'profilesList.json')),
  },
  ...QUEST_INPUT_PROFILES.flatMap((profile) =>
    filesUnder(join(xrProfilesDir, profile)).map((file) => ({
      url: `/xr-profiles/${profile}/${file}`,
      revision: revisionOf(join(xrProfilesDir, profile, file)),
    })),
  ),
];

/**
 * Records which output files the patient's page can load (its entry chunk and everything it
 * imports, the game included), for the service worker's precache list below.
 */
function patientOutputs(): Plugin & { files: Set<string> } {
  const files = new Set<string>();
  return {
    name: 'reach:patient-outputs',
    apply: 'build',
    files,
    generateBundle(_options, bundle) {
      const chunks = new Map<string, BuiltChunk>();
      let entry: string | null = null;
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        if (output.isEntry && output.name === 'patient') entry = output.fileName;
        chunks.set(output.fileName, {
          fileName: output.fileName,
          imports: output.imports,
          dynamicImports: output.dynamicImports,
          files: [
            ...(output.viteMetadata?.importedCss ?? []),
            ...(output.viteMetadata?.importedAssets ?? []),
          ],
        });
      }
      if (entry === null) throw new Error('reach:patient-outputs: no patient entry chunk');
      files.clear();
      for (const file of filesReachableFrom(entry, chunks)) files.add(file);
    },
  };
}

/** The installable app is the patient's: the dashboard page does not announce its manifest. */
const noManifestOnTherapistPage: Plugin = {
  name: 'reach:no-manifest-on-therapist-page',
  apply: 'build',
  enforce: 'post', // after vite-plugin-pwa's own post-order transform, which adds the link
  transformIndexHtml: {
    order: 'post',
    handler: (html, ctx) =>
      ctx.path.startsWith('/therapist/') ? html.replace(/<link rel="manifest"[^>]*>/, '') : html,
  },
};

const patient = patientOutputs();

// Two pages, one build: the patient's game at `/` and the therapist's dashboard at `/therapist/`.
// The server serves `dist/client`; in development Vite proxies the API and Socket.IO to it.
export default defineConfig({
  root,
  publicDir,
  plugins: [
    react(),
    patient,
    // The patient's page is an installable app that starts and plays offline (docs/architecture.md,
    // "Offline app"). The worker never skips waiting by itself: client/patient/offline/ decides
    // when a new version is taken (never while a session runs).
    VitePWA({
      strategies: 'generateSW',
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false, // the icons are in assets/, precached with the other assets
      manifest: {
        name: 'Reach',
        short_name: 'Reach',
        description: 'Reaching practice in VR, prescribed by your therapist.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'fullscreen',
        background_color: '#0b1d2a',
        theme_color: '#0b1d2a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*'],
        globIgnores: ['**/*.map', 'sw.js', 'workbox-*.js', 'manifest.webmanifest'],
        manifestTransforms: [
          (entries) => {
            const inputs = {
              page: 'index.html',
              patientFiles: patient.files,
              staticAssets: new Set(filesUnder(publicDir)),
            };
            return { manifest: entries.filter((e) => belongsInPrecache(e.url, inputs)) };
          },
        ],
        additionalManifestEntries: inputProfileEntries(),
        // The game chunk carries rapier's WebAssembly inline (~2.4 MB): precache it all the same.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        // The patient's page (with its query: `/?code=...`) starts from the cache; nothing else is
        // answered by the worker: the dashboard, the API, Socket.IO and /healthz go to the network.
        navigateFallback: 'index.html',
        navigateFallbackAllowlist: [/^\/(index\.html)?(\?.*)?$/],
        runtimeCaching: [
          {
            // Another headset's controller layouts, kept after their first online use.
            urlPattern: ({ url, sameOrigin }) =>
              sameOrigin && url.pathname.startsWith('/xr-profiles/'),
            handler: 'CacheFirst',
            options: { cacheName: 'reach-xr-profiles', expiration: { maxEntries: 60 } },
          },
        ],
        cleanupOutdatedCaches: true,
        skipWaiting: false,
        clientsClaim: false,
      },
    }),
    noManifestOnTherapistPage,
  ],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        patient: resolve(root, 'index.html'),
        therapist: resolve(root, 'therapist/index.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: process.env.REACH_API_URL ?? 'http://127.0.0.1:8443', changeOrigin: false },
      '/healthz': process.env.REACH_API_URL ?? 'http://127.0.0.1:8443',
      '/socket.io': { target: process.env.REACH_API_URL ?? 'http://127.0.0.1:8443', ws: true },
    },
  },
});
