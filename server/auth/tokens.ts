import { createHmac, randomBytes, randomInt } from 'node:crypto';

/** The prefix says which table a presented token lives in. */
export const THERAPIST_TOKEN_PREFIX = 'rt_';
export const DEVICE_TOKEN_PREFIX = 'rd_';

/** Opaque random tokens: the database keeps only their keyed hash, so a leaked copy of it opens nothing. */
export const newToken = (prefix: string): string => prefix + randomBytes(32).toString('base64url');

export const hashSecretValue = (secret: string, value: string): string =>
  createHmac('sha256', secret).update(value).digest('hex');

export const newPairingCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0');
