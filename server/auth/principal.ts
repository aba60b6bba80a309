import type { Repositories } from '../repositories';
import { DEVICE_TOKEN_PREFIX, THERAPIST_TOKEN_PREFIX, hashSecretValue } from './tokens';

/** Who is calling: a logged-in therapist or a paired headset. */
export type Principal =
  | { role: 'therapist'; therapistId: string; username: string; tokenId: string; expiresAt: string }
  | { role: 'device'; deviceId: string; patientId: string };

export async function resolveToken(
  repositories: Pick<Repositories, 'therapists' | 'devices'>,
  secret: string,
  token: string,
): Promise<Principal | null> {
  const tokenHash = hashSecretValue(secret, token);
  if (token.startsWith(THERAPIST_TOKEN_PREFIX)) {
    const row = await repositories.therapists.findActiveLoginToken(
      tokenHash,
      new Date().toISOString(),
    );
    return row === undefined
      ? null
      : {
          role: 'therapist',
          therapistId: row.therapistId,
          username: row.username,
          tokenId: row.tokenId,
          expiresAt: row.expiresAt,
        };
  }
  if (token.startsWith(DEVICE_TOKEN_PREFIX)) {
    const row = await repositories.devices.findActive(tokenHash);
    return row === undefined
      ? null
      : { role: 'device', deviceId: row.id, patientId: row.patient_id };
  }
  return null;
}

/** Socket.IO rooms that let a revocation reach every live socket of a token, on any process. */
export const rooms = {
  patientWatchers: (patientId: string) => `patient:${patientId}`,
  patientDevice: (patientId: string) => `device:${patientId}`,
  /** The device socket playing this session: the only one a control command goes to. */
  session: (sessionId: string) => `session:${sessionId}`,
  device: (deviceId: string) => `devicetoken:${deviceId}`,
  loginToken: (tokenId: string) => `login:${tokenId}`,
  /** Every socket of one therapist account, whichever sign-in opened it. */
  therapist: (therapistId: string) => `therapist:${therapistId}`,
};
