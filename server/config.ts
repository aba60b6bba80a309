import { resolve } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Everything the server reads from its environment, with the defaults a clinic laptop needs. */
export interface ReachConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL when set, else SQLite at `<dataDir>/reach.sqlite`. */
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Separates clinics (or test runs) that share one Redis. */
  redisChannelPrefix: string;
  /**
   * Which reverse proxies may tell the client's address (X-Forwarded-For): Express's `trust
   * proxy` list, e.g. `loopback` or `10.0.0.5`; null trusts none.
   */
  trustProxy: string | null;
  tlsCertPath: string | null;
  tlsKeyPath: string | null;
  /** Secret for hashing tokens and pairing codes; generated and kept in dataDir when unset. */
  tokenSecret: string | null;
  sessionTtlMinutes: number;
  pairingTtlSeconds: number;
  /** Trials one headset may store per hour (per process), so one device cannot fill the disk. */
  deviceTrialsPerHour: number;
  /** Movement samples one headset may store per hour (per process). */
  deviceSamplesPerHour: number;
  allowedOrigins: string[];
  logLevel: LogLevel;
  /** Built client pages (`dist/client`). */
  clientDir: string;
  /** Offline controller and hand profiles for WebXR. */
  xrProfilesDir: string;
}

const ROOT = resolve(import.meta.dirname, '..');

/**
 * A whole number within [min, max], or the fallback when unset. Anything else stops the server at
 * start with a message naming the variable and its range, instead of misbehaving later (a session
 * lifetime beyond Node's 32-bit timer range, ~24.8 days, would fire its expiry at once).
 */
function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new Error(
      `${name} must be a whole number from ${range.min} to ${range.max} (got "${value}")`,
    );
  }
  return parsed;
}

/** Node timers hold at most 2^31 - 1 ms; a socket's expiry timer must fit. */
const MAX_TIMER_MS = 2 ** 31 - 1;
export const CONFIG_RANGES = {
  PORT: { min: 0, max: 65_535 },
  SESSION_TTL_MINUTES: { min: 1, max: Math.floor(MAX_TIMER_MS / 60_000) },
  PAIRING_TTL_SECONDS: { min: 1, max: 3_600 },
  DEVICE_TRIALS_PER_HOUR: { min: 1, max: 1_000_000 },
  DEVICE_SAMPLES_PER_HOUR: { min: 1, max: 1_000_000_000 },
} as const;

const text = (value: string | undefined): string | null =>
  value === undefined || value.trim() === '' ? null : value.trim();

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ReachConfig {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port: integer(env, 'PORT', 8443, CONFIG_RANGES.PORT),
    host: text(env.HOST) ?? '0.0.0.0',
    dataDir: resolve(text(env.DATA_DIR) ?? resolve(ROOT, 'data')),
    databaseUrl: text(env.DATABASE_URL),
    redisUrl: text(env.REDIS_URL),
    redisChannelPrefix: text(env.REDIS_CHANNEL_PREFIX) ?? 'reach',
    trustProxy: text(env.TRUST_PROXY),
    tlsCertPath: text(env.TLS_CERT),
    tlsKeyPath: text(env.TLS_KEY),
    tokenSecret: text(env.TOKEN_SECRET),
    sessionTtlMinutes: integer(
      env,
      'SESSION_TTL_MINUTES',
      12 * 60,
      CONFIG_RANGES.SESSION_TTL_MINUTES,
    ),
    pairingTtlSeconds: integer(
      env,
      'PAIRING_TTL_SECONDS',
      10 * 60,
      CONFIG_RANGES.PAIRING_TTL_SECONDS,
    ),
    // An hour of play at one trial every 2 s; an offline backlog drains at that pace.
    deviceTrialsPerHour: integer(
      env,
      'DEVICE_TRIALS_PER_HOUR',
      1800,
      CONFIG_RANGES.DEVICE_TRIALS_PER_HOUR,
    ),
    // An hour of recording at 240 Hz (the highest sample rate a trial may declare).
    deviceSamplesPerHour: integer(
      env,
      'DEVICE_SAMPLES_PER_HOUR',
      3600 * 240,
      CONFIG_RANGES.DEVICE_SAMPLES_PER_HOUR,
    ),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    logLevel,
    // Another build than the repository's own (a release unpacked elsewhere; the update e2e test).
    clientDir: resolve(text(env.CLIENT_DIR) ?? resolve(ROOT, 'dist/client')),
    xrProfilesDir: resolve(ROOT, 'node_modules/@webxr-input-profiles/assets/dist/profiles'),
  };
}
