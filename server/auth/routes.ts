import { Router } from 'express';
import { loginRequestSchema, type LoginResponse } from '../../shared/protocol/http';
import { burnPasswordCheck, verifyPassword } from './passwords';
import { rooms } from './principal';
import { THERAPIST_TOKEN_PREFIX, hashSecretValue, newToken } from './tokens';
import type { ReachContext } from '../context';
import { clientIp, requireRole, therapistOf } from '../http/authenticate';
import { HttpError, parseBody } from '../http/errors';

export function authRoutes(ctx: ReachContext): Router {
  const router = Router();
  router.post('/api/auth/login', async (req, res) => {
    const ip = clientIp(req);
    if (await ctx.limits.failedLoginsByIp.isBlocked(ip)) {
      throw new HttpError('rate_limited', 'too many failed sign-ins, try again later');
    }
    const { username, password } = parseBody(loginRequestSchema, req);
    const therapist = await ctx.limits.signIn.attempt(username, async () => {
      const row = await ctx.therapists.findByUsername(username);
      if (row === undefined) {
        await burnPasswordCheck(password);
        return null;
      }
      // A disabled account answers like a wrong password, after the same work.
      const valid = await verifyPassword(row.password_hash, password);
      return valid && row.disabled_at === null ? row : null;
    });
    if (therapist === null) {
      await ctx.limits.failedLoginsByIp.add(ip);
      await ctx.audit.append({
        actorKind: 'anonymous',
        actorId: null,
        action: 'auth.login_failed',
        newValue: { username, ip },
      });
      throw new HttpError('unauthenticated', 'wrong username or password');
    }
    const token = newToken(THERAPIST_TOKEN_PREFIX);
    const expiresAt = new Date(Date.now() + ctx.config.sessionTtlMinutes * 60_000).toISOString();
    await ctx.therapists.insertLoginToken(
      therapist.id,
      hashSecretValue(ctx.secret, token),
      expiresAt,
    );
    await ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapist.id,
      action: 'auth.login',
      newValue: { ip },
    });
    const body: LoginResponse = {
      token,
      expiresAt,
      therapist: { id: therapist.id, username: therapist.username },
    };
    res.json(body);
  });

  router.post('/api/auth/logout', requireRole(ctx, 'therapist'), async (_req, res) => {
    const me = therapistOf(res);
    await ctx.therapists.revokeLoginToken(me.tokenId);
    ctx.io?.in(rooms.loginToken(me.tokenId)).disconnectSockets(true);
    await ctx.audit.append({
      actorKind: 'therapist',
      actorId: me.therapistId,
      action: 'auth.logout',
    });
    res.json({ ok: true });
  });

  return router;
}
