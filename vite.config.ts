import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = resolve(import.meta.dirname, 'client');

// Two pages, one build: the patient's game at `/` and the therapist's dashboard at `/therapist/`.
// The server serves `dist/client`; in development Vite proxies the API and Socket.IO to it.
export default defineConfig({
  root,
  publicDir: resolve(import.meta.dirname, 'assets'),
  plugins: [react()],
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
