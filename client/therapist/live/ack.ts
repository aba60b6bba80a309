import { z } from 'zod';
import { protocolErrorSchema, type AckResult } from '../../../shared/protocol/errors';

/** Validates a Socket.IO answer against the event's ack schema: answers are untrusted too. */
export function parseAck<S extends z.ZodType>(schema: S, raw: unknown): AckResult<z.output<S>> {
  const parsed = z
    .union([
      z.object({ ok: z.literal(true), data: schema }),
      z.object({ ok: z.literal(false), error: protocolErrorSchema }),
    ])
    .safeParse(raw);
  if (parsed.success) return parsed.data as AckResult<z.output<S>>;
  return {
    ok: false,
    error: { code: 'invalid_payload', message: 'Unreadable answer from the server' },
  };
}
