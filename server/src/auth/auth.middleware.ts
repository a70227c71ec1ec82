import type { Request, Response } from 'express';
import { parseCookie } from 'cookie';
import { PasswordChangeRequiredError, UnauthenticatedError } from '../http/errors.ts';
import type { RequestContext } from '../http/context.ts';
import type { Authenticate, AuthMode } from '../http/route.ts';
import type { ResolvedSession } from './auth.service.ts';
import type { SessionResolver } from './session-resolver.ts';

export const SESSION_COOKIE = 'crewdeck_session';

/** The session token from a Cookie header, if any. */
function readSessionToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  const token = parseCookie(cookieHeader)[SESSION_COOKIE];
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null;
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
}

function baseContext(req: Request): RequestContext {
  return { ip: req.ip ?? '', userAgent: req.get('user-agent') ?? '', actor: null, sessionId: null };
}

/** Which sessions pass: `user` needs a password the user set; `pending` takes any valid session. */
export type SessionMode = Exclude<AuthMode, 'public' | 'optional'>;

/** A session that passed `resolveSession`, with its token to re-check it later. */
export interface AuthedSession extends ResolvedSession {
  token: string;
}

/**
 * The one authentication check for every transport (HTTP, the Socket.IO handshake, the Yjs
 * upgrade): the session cookie must resolve to an open session of an active user, and in
 * `user` mode that user must have replaced a one-time password. Throws
 * `UnauthenticatedError` or `PasswordChangeRequiredError`; each transport reports those its own way.
 */
export async function resolveSession(
  resolver: SessionResolver,
  cookieHeader: string | undefined,
  mode: SessionMode,
): Promise<AuthedSession> {
  const token = readSessionToken(cookieHeader);
  if (!token) throw new UnauthenticatedError();
  const resolved = await resolver.resolve(token);
  if (!resolved) throw new UnauthenticatedError('Your session has ended; sign in again');
  if (mode === 'user' && resolved.actor.mustChangePassword) throw new PasswordChangeRequiredError();
  return { ...resolved, token };
}

/** HTTP authentication: public routes pass as they are, every other one through `resolveSession`. */
export function createAuthenticate(resolver: SessionResolver): Authenticate {
  return async (req, mode) => {
    const base = baseContext(req);
    if (mode === 'public') return base;
    if (mode === 'optional') {
      // The signed-out answer is an ordinary one here: a missing or ended session is anonymous.
      const resolved = await resolveSession(resolver, req.headers.cookie, 'pending').catch((error: unknown) => {
        if (error instanceof UnauthenticatedError) return null;
        throw error;
      });
      return resolved ? { ...base, actor: resolved.actor, sessionId: resolved.sessionId } : base;
    }
    const { actor, sessionId } = await resolveSession(resolver, req.headers.cookie, mode);
    return { ...base, actor, sessionId };
  };
}
