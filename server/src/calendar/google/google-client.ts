// One googleapis Calendar client per connected user, behind our own rate limiter and backoff:
// gaxios never retries 403 rateLimitExceeded and only idempotent methods, so its retry is off.
import { setTimeout as sleep } from 'node:timers/promises';
import { google, type calendar_v3 } from 'googleapis';
import { OAuth2Client, type Credentials } from 'google-auth-library';
import type { GoogleConfig } from './google.config.ts';
import { redirectUri } from './google.config.ts';

export interface GoogleErrorInfo {
  status: number | null;
  reason: string | null;
}

/** Status and `errors[0].reason` of a GaxiosError (or the OAuth `error` of a token answer). */
export function googleError(error: unknown): GoogleErrorInfo {
  const e = error as { status?: unknown; response?: { status?: number; data?: unknown } };
  const data = e.response?.data as { error?: { errors?: { reason?: string }[] } | string } | undefined;
  const reason = typeof data?.error === 'string' ? data.error : (data?.error?.errors?.[0]?.reason ?? null);
  return { status: e.response?.status ?? (typeof e.status === 'number' ? e.status : null), reason };
}

const rateLimitReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);
export const isRateLimit = ({ status, reason }: GoogleErrorInfo) =>
  status === 429 || (status === 403 && reason !== null && rateLimitReasons.has(reason));
export const isInvalidGrant = (error: unknown) =>
  googleError(error).reason === 'invalid_grant' || /invalid_grant/.test(String((error as Error)?.message));

/** Keeps one user's requests under `perMinute` in any sliding minute (Google allows 600). */
export class MinuteLimiter {
  readonly #times: number[] = [];
  readonly #perMinute: number;
  constructor(perMinute: number) {
    this.#perMinute = perMinute;
  }
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.#times.length > 0 && now - this.#times[0] >= 60_000) this.#times.shift();
      if (this.#times.length < this.#perMinute) {
        this.#times.push(now);
        return;
      }
      await sleep(this.#times[0] + 60_000 - now + 5);
    }
  }
}

/** A user's Calendar client: every call waits for the limiter and backs off on rate limits. */
export class UserCalendar {
  readonly api: calendar_v3.Calendar;
  readonly #limiter: MinuteLimiter;
  readonly #config: GoogleConfig;

  constructor(api: calendar_v3.Calendar, config: GoogleConfig) {
    this.api = api;
    this.#config = config;
    this.#limiter = new MinuteLimiter(config.requestsPerMinute);
  }

  async call<T>(request: (api: calendar_v3.Calendar) => Promise<{ data: T }>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      await this.#limiter.take();
      try {
        return (await request(this.api)).data;
      } catch (error) {
        if (!isRateLimit(googleError(error)) || attempt >= this.#config.backoffRetries) throw error;
        // Full jitter: workers that hit the limit together do not retry together.
        const ceiling = this.#config.backoffBaseMs * 2 ** attempt;
        await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      }
    }
  }
}

export interface ClientHooks {
  /** Google rotated the refresh token: store the new one (sealed) before it is needed. */
  onRefreshToken(userId: string, refreshToken: string): void;
}

/** Builds and caches the per-user clients; all OAuth traffic goes to the configured endpoints. */
export class GoogleClients {
  readonly #config: GoogleConfig;
  readonly #hooks: ClientHooks;
  readonly #users = new Map<string, { refreshToken: string; calendar: UserCalendar }>();

  constructor(config: GoogleConfig, hooks: ClientHooks) {
    this.#config = config;
    this.#hooks = hooks;
  }

  oauth(): OAuth2Client {
    return new OAuth2Client({
      clientId: this.#config.clientId,
      clientSecret: this.#config.clientSecret,
      redirectUri: redirectUri(this.#config),
      endpoints: {
        oauth2TokenUrl: this.#config.tokenUrl,
        oauth2AuthBaseUrl: this.#config.authUrl,
        oauth2RevokeUrl: this.#config.revokeUrl,
      },
    });
  }

  /** A client from fresh tokens (right after the consent) or a stored refresh token. */
  forUser(userId: string, refreshToken: string, initial?: Credentials): UserCalendar {
    const cached = this.#users.get(userId);
    if (cached && cached.refreshToken === refreshToken) return cached.calendar;
    const auth = this.oauth();
    auth.setCredentials(initial ?? { refresh_token: refreshToken });
    auth.on('tokens', (tokens) => {
      // The 'tokens' event usually lacks the refresh token: merge so it is never lost.
      auth.setCredentials({ ...auth.credentials, ...tokens, refresh_token: tokens.refresh_token ?? refreshToken });
      if (tokens.refresh_token && tokens.refresh_token !== refreshToken)
        this.#hooks.onRefreshToken(userId, tokens.refresh_token);
    });
    const api = google.calendar({ version: 'v3', auth, rootUrl: this.#config.apiRoot, retry: false });
    const calendar = new UserCalendar(api, this.#config);
    this.#users.set(userId, { refreshToken, calendar });
    return calendar;
  }

  drop(userId: string): void {
    this.#users.delete(userId);
  }
}
