import type { Request, Response } from 'express';
import { parseCookie } from 'cookie';
import { PasswordChangeRequiredError, UnauthenticatedError } from '../http/errors.ts';
import type { RequestContext } from '../http/context.ts';
import type { Authenticate } from '../http/route.ts';
import type { SessionResolver } from './session-resolver.ts';

export const SESSION_COOKIE = 'crewdeck_session';

/** The session token from a Cookie header, if any. */
export function readSessionToken(cookieHeader: string | undefined): string | null {
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

export function baseContext(req: Request): RequestContext {
  return { ip: req.ip ?? '', userAgent: req.get('user-agent') ?? '', actor: null, sessionId: null };
}

/**
 * The one authentication path for HTTP: resolve the session cookie, and hold users who
 * must still replace a one-time password to the routes marked `pending`.
 */
export function createAuthenticate(resolver: SessionResolver): Authenticate {
  return async (req, mode) => {
    const base = baseContext(req);
    if (mode === 'public') return base;
    const token = readSessionToken(req.headers.cookie);
    if (!token) throw new UnauthenticatedError();
    const resolved = await resolver.resolve(token);
    if (!resolved) throw new UnauthenticatedError('Your session has ended; sign in again');
    if (mode === 'user' && resolved.actor.mustChangePassword) throw new PasswordChangeRequiredError();
    return { ...base, ...resolved };
  };
}
