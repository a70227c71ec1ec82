import type { Role } from '@crewdeck/shared/permissions';

/** The signed-in user as every service and `can()` sees them. */
export interface Actor {
  id: string;
  code: string;
  login: string;
  name: string;
  role: Role;
  groups: string[];
  mustChangePassword: boolean;
}

/** Who is asking and from where; built once per request or socket. */
export interface RequestContext {
  ip: string;
  userAgent: string;
  actor: Actor | null;
  sessionId: string | null;
}

/** Context of a request that passed authentication. */
export interface AuthedContext extends RequestContext {
  actor: Actor;
  sessionId: string;
}

/** Context for work the server does on its own (bootstrap, expiry sweeps). */
export const systemContext: RequestContext = {
  ip: '',
  userAgent: 'system',
  actor: null,
  sessionId: null,
};
