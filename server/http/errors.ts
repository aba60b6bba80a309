import type { ErrorRequestHandler, Request } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/protocol';
import type { Logger } from '../logger';

const STATUS: Partial<Record<ErrorCode, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_payload: 400,
  out_of_bounds: 400,
  quota_exceeded: 413,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** Thrown by routes; the error middleware answers `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(
      'invalid_payload',
      issue === undefined ? 'invalid body' : `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let code: ErrorCode = 'internal';
    let message = 'internal error';
    if (err instanceof HttpError) {
      code = err.code;
      message = err.message;
    } else if (isBodyParserError(err)) {
      code = err.type === 'entity.too.large' ? 'payload_too_large' : 'invalid_payload';
      message = code === 'payload_too_large' ? 'body too large' : 'body is not valid JSON';
    } else {
      log.error('http handler failed', {
        method: req.method,
        route: req.route?.path,
        err: String(err),
      });
    }
    res.status(STATUS[code] ?? 400).json({ error: { code, message } });
  };
}

function isBodyParserError(err: unknown): err is { type: string } {
  return (
    typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string'
  );
}
