import type { Request, RequestHandler, Response } from 'express';
import { resolveToken, type Principal } from '../auth/principal';
import type { ReachContext } from '../context';
import { HttpError } from './errors';

type TherapistPrincipal = Extract<Principal, { role: 'therapist' }>;
type DevicePrincipal = Extract<Principal, { role: 'device' }>;

function bearer(req: Request): string | null {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S{1,2048})$/i.exec(header);
  return match?.[1] ?? null;
}

/** Puts the caller in `res.locals.principal` when the role matches, else answers 401/403. */
export function requireRole(ctx: ReachContext, role: Principal['role']): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req);
    const principal = token === null ? null : await resolveToken(ctx, ctx.secret, token);
    if (principal === null) throw new HttpError('unauthenticated', 'sign in first');
    if (principal.role !== role) throw new HttpError('forbidden', `only a ${role} may do this`);
    res.locals.principal = principal;
    next();
  };
}

export const therapistOf = (res: Response): TherapistPrincipal =>
  res.locals.principal as TherapistPrincipal;
export const deviceOf = (res: Response): DevicePrincipal => res.locals.principal as DevicePrincipal;

/** The patient, when it belongs to the calling therapist; others' patients look nonexistent. */
export async function ownedPatient(ctx: ReachContext, res: Response, patientId: string) {
  const row = await ctx.patients.find(patientId);
  if (row === undefined || row.therapist_id !== therapistOf(res).therapistId) {
    throw new HttpError('not_found', 'no such patient');
  }
  return row;
}

/** The client's address: the socket's peer, or what a trusted proxy (TRUST_PROXY) says. */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
