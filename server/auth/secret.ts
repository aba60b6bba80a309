import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReachConfig } from '../config';
import { ensurePrivateDir, tightenExisting } from '../storage/private-files';

/**
 * The key tokens and pairing codes are hashed with. Kept in the data directory when not given,
 * so tokens survive a restart; every process of a clinic must share it (set TOKEN_SECRET).
 */
export function loadTokenSecret(config: Pick<ReachConfig, 'tokenSecret' | 'dataDir'>): string {
  if (config.tokenSecret !== null) return config.tokenSecret;
  const path = join(config.dataDir, 'token-secret');
  ensurePrivateDir(config.dataDir);
  if (existsSync(path)) {
    tightenExisting([path]);
    return readFileSync(path, 'utf8').trim();
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}
