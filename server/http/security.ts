import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * What the pages need and nothing more: scripts from self (rapier's WebAssembly needs
 * 'wasm-unsafe-eval'), workers and textures from blob:, images from data:, Socket.IO over ws/wss
 * to self. No third-party origins: the app works offline on a clinic network.
 */
export function securityHeaders(): RequestHandler {
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
        connectSrc: ["'self'", 'ws:', 'wss:', 'blob:', 'data:'],
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
