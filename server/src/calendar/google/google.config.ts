/**
 * Google Calendar sync settings. Every value comes from the environment or from options, so
 * tests and private deployments point the sync at a fake or a proxy without touching the code.
 */
export interface GoogleConfig {
  clientId: string;
  clientSecret: string;
  /** Where browsers reach Crewdeck; the OAuth redirect and the push address are built from it. */
  publicUrl: string;
  /** `rootUrl` of the Calendar client (only its origin is used by googleapis). */
  apiRoot: string;
  /** Consent page and token endpoint. */
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** Poll backstop for dropped push notifications, in seconds. */
  syncIntervalS: number;
  /** Push channels are renewed once this close to their expiry (Google lets them lapse, ~7 days). */
  channelRenewBeforeMs: number;
  /** First retry delay of the rate-limit backoff (doubles each time, with jitter). */
  backoffBaseMs: number;
  backoffRetries: number;
  /** Requests per user per minute we allow ourselves; Google's quota is 600. */
  requestsPerMinute: number;
  /** Events per inbound listing page (Google allows up to 2500). */
  pageSize: number;
}

export type GoogleEnv = Partial<Record<string, string>>;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * `GOOGLE_OAUTH_ROOT`, when set, is ONE base URL serving both `o/oauth2/v2/auth` and `token`
 * (a fake, or an identity proxy); otherwise Google's two hosts.
 */
export function loadGoogleConfig(env: GoogleEnv = process.env, overrides: Partial<GoogleConfig> = {}): GoogleConfig {
  const oauthRoot = env.GOOGLE_OAUTH_ROOT ? trimSlash(env.GOOGLE_OAUTH_ROOT) : null;
  const interval = Number(env.GOOGLE_SYNC_INTERVAL_S ?? 300);
  return {
    clientId: env.GOOGLE_CLIENT_ID ?? '',
    clientSecret: env.GOOGLE_CLIENT_SECRET ?? '',
    publicUrl: trimSlash(env.PUBLIC_URL ?? 'http://localhost:3000'),
    apiRoot: env.GOOGLE_API_ROOT ?? 'https://www.googleapis.com/',
    authUrl: oauthRoot ? `${oauthRoot}/o/oauth2/v2/auth` : 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: oauthRoot ? `${oauthRoot}/token` : 'https://oauth2.googleapis.com/token',
    revokeUrl: oauthRoot ? `${oauthRoot}/revoke` : 'https://oauth2.googleapis.com/revoke',
    syncIntervalS: Number.isFinite(interval) && interval > 0 ? interval : 300,
    channelRenewBeforeMs: 24 * 3600_000,
    backoffBaseMs: 500,
    backoffRetries: 6,
    requestsPerMinute: 500,
    pageSize: 250,
    ...overrides,
  };
}

/** Options as tests pass them: `oauthRoot` expands like GOOGLE_OAUTH_ROOT. */
export function googleConfigFrom(options: Partial<GoogleConfig> & { oauthRoot?: string } = {}): GoogleConfig {
  const { oauthRoot, ...rest } = options;
  const env: GoogleEnv = { ...process.env, ...(oauthRoot ? { GOOGLE_OAUTH_ROOT: oauthRoot } : {}) };
  return loadGoogleConfig(env, rest);
}

export const isConfigured = (config: GoogleConfig) => config.clientId !== '' && config.clientSecret !== '';
export const redirectUri = (config: GoogleConfig) => `${config.publicUrl}/api/calendar/google/callback`;
export const pushAddress = (config: GoogleConfig) => `${config.publicUrl}/api/calendar/google/notifications`;
