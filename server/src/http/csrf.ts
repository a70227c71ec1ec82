import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { CsrfError } from './errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Browsers send `Origin` on cross-site writes (and `Sec-Fetch-Site`); a write whose origin
 * is neither this server nor a trusted origin is refused. Requests without either header
 * come from non-browser clients, which cannot carry a victim's cookie.
 */
export function originAllowed(req: IncomingMessage, trusted: ReadonlySet<string>, secure: boolean): boolean {
  const origin = req.headers.origin;
  if (origin) {
    const self = `${secure ? 'https' : 'http'}://${req.headers.host ?? ''}`;
    return origin === self || trusted.has(origin);
  }
  return req.headers['sec-fetch-site'] !== 'cross-site';
}

export function csrfProtection(trusted: ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method) || originAllowed(req, trusted, req.secure)) {
      next();
      return;
    }
    next(new CsrfError());
  };
}
