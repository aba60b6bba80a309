import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The WebSocket form of each extra allowed origin as well as the origin itself, since not every
 * browser lets an `https:` source cover `wss:`.
 */
function connectSources(allowedOrigins: readonly string[]): string[] {
  return allowedOrigins.flatMap((origin) => {
    const socketOrigin = origin.replace(/^http(s?):/i, 'ws$1:');
    return socketOrigin === origin ? [origin] : [origin, socketOrigin];
  });
}

/**
 * What the pages need and nothing more: scripts from self (rapier's WebAssembly needs
 * 'wasm-unsafe-eval'; the text renderer's blob: workers load their code with importScripts of
 * blob: URLs, which script-src governs), workers and textures from blob:, images from data:, Socket.IO over ws/wss
 * to the page's own origin ('self' covers its ws: and wss: forms) and the ALLOWED_ORIGINS, never to
 * any other host: an injected script could not send what it read anywhere. No third-party origins:
 * the app works offline on a clinic network.
 */
export function securityHeaders(allowedOrigins: readonly string[] = []): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'", 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:', 'data:'],
        connectSrc: ["'self'", ...connectSources(allowedOrigins), 'blob:', 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // The self-signed LAN certificate must stay click-through-able: no HSTS pinning.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * API answers carry patient data and tokens: no browser or proxy cache may keep a copy (a shared
 * clinic computer's disk cache would outlive the sign-out).
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('cache-control', 'no-store');
  next();
};
