import { z } from 'zod';

/** Every error the server answers with; the client shows `message`, code is for programs. */
export const errorCodeSchema = z.enum([
  'protocol_mismatch',
  'unauthenticated',
  'forbidden',
  'invalid_payload',
  'unknown_event',
  'payload_too_large',
  'rate_limited',
  'not_found',
  'conflict',
  'out_of_bounds',
  /** A storage quota is full (trials per session); resending will not help. */
  'quota_exceeded',
  'device_offline',
  'timeout',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const protocolErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string().max(500),
  /** The event the error answers, when it answers one. */
  event: z.string().max(64).optional(),
});
export type ProtocolError = z.infer<typeof protocolErrorSchema>;

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

export const ackOk = <T>(data: T): AckResult<T> => ({ ok: true, data });
export const ackError = (code: ErrorCode, message: string, event?: string): AckResult<never> => ({
  ok: false,
  error: event === undefined ? { code, message } : { code, message, event },
});
