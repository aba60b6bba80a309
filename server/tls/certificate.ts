import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { ReachConfig } from '../config';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenExisting } from '../storage/private-files';

export interface TlsMaterial {
  cert: string;
  key: string;
  selfSigned: boolean;
}

/** IPv4 addresses other machines on the LAN (a headset) can reach this computer at. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

const CERT_VALIDITY_DAYS = 825;

/**
 * The clinic's own certificate when TLS_CERT/TLS_KEY are given; otherwise a self-signed one made
 * on first start and kept in the data directory, so the headset's one-time warning stays accepted.
 */
export async function loadCertificate(config: ReachConfig): Promise<TlsMaterial> {
  if (config.tlsCertPath !== null && config.tlsKeyPath !== null) {
    return {
      cert: await readFile(config.tlsCertPath, 'utf8'),
      key: await readFile(config.tlsKeyPath, 'utf8'),
      selfSigned: false,
    };
  }
  const certPath = join(config.dataDir, 'tls-cert.pem');
  const keyPath = join(config.dataDir, 'tls-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    tightenExisting([certPath, keyPath]);
    return {
      cert: await readFile(certPath, 'utf8'),
      key: await readFile(keyPath, 'utf8'),
      selfSigned: true,
    };
  }
  const notAfterDate = new Date(Date.now() + CERT_VALIDITY_DAYS * 24 * 3600 * 1000);
  const generated = await generate([{ name: 'commonName', value: 'reach.local' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: 'reach.local' },
          { type: 7, ip: '127.0.0.1' },
          ...lanAddresses().map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  ensurePrivateDir(config.dataDir);
  await writeFile(keyPath, generated.private, { mode: PRIVATE_FILE_MODE });
  await writeFile(certPath, generated.cert, { mode: PRIVATE_FILE_MODE });
  return { cert: generated.cert, key: generated.private, selfSigned: true };
}
