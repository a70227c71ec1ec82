// A stateful loopback fake of Google Calendar v3 and Google's OAuth2 endpoints, on one base URL,
// for tests driving the real `googleapis` client. No fake on npm models sync tokens, 410s or
// etags, which is exactly what a sync engine must get right. State lives in google-fake-calendar.ts.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FakeCalendar,
  FakeGoogleError,
  type FakeChannel,
  type GEvent,
  type ListParams,
} from './google-fake-calendar.ts';

export type { GEvent } from './google-fake-calendar.ts';
export type InjectedError = 'rateLimitExceeded' | 'userRateLimitExceeded' | '429';

interface Account {
  email: string;
  calendar: FakeCalendar;
  injected: InjectedError[];
  requestTimes: number[];
}

interface Handled {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

export class GoogleFake {
  readonly #server: Server;
  readonly #accounts = new Map<string, Account>();
  readonly #codes = new Map<string, { email: string; redirectUri: string }>();
  readonly #refresh = new Map<string, { email: string; revoked: boolean }>();
  readonly #access = new Map<string, string>();
  /** Who the consent page signs in as (the test chooses). */
  consentEmail = 'person@gmail.test';
  /** Lifetime of issued access tokens; under 5 minutes makes google-auth-library refresh before every call. */
  accessTokenLifetimeS = 3599;
  /** The last consent request's query, for assertions (scope, access_type, prompt, state). */
  lastConsent: URLSearchParams | null = null;
  /** Push notifications sent, in order (failed deliveries included). */
  readonly pushes: { channelId: string; state: string; status: number | null }[] = [];
  url = '';

  readonly client: { id: string; secret: string };

  constructor(client = { id: 'test-client', secret: 'test-secret' }) {
    this.client = client;
    this.#server = createServer((req, res) => void this.#serve(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  // ---- test knobs ----

  account(email: string): Account {
    let account = this.#accounts.get(email);
    if (!account) {
      const calendar = new FakeCalendar(email);
      calendar.onChange = (cal) => this.#notify(cal, 'exists');
      account = { email, calendar, injected: [], requestTimes: [] };
      this.#accounts.set(email, account);
    }
    return account;
  }
  calendar(email: string): FakeCalendar {
    return this.account(email).calendar;
  }
  /** Creates an event as the Google user would (in their primary calendar). */
  seed(email: string, event: GEvent): GEvent {
    return this.calendar(email).insert(event);
  }
  edit(email: string, id: string, patch: GEvent): GEvent {
    return this.calendar(email).patch(id, patch);
  }
  remove(email: string, id: string): void {
    this.calendar(email).delete(id);
  }
  /** Every event the fake holds for the user, tombstones included. */
  events(email: string): GEvent[] {
    return this.calendar(email).stored();
  }
  /** Every sync and page token handed out so far answers 410 (e.g. two weeks without syncing). */
  expireSyncTokens(email: string): void {
    this.calendar(email).epoch += 1;
  }
  goneOnNextPage(email: string): void {
    this.calendar(email).goneOnNextPage = true;
  }
  /** The next `count` Calendar requests of the user fail with this error. */
  inject(email: string, count: number, error: InjectedError): void {
    for (let i = 0; i < count; i += 1) this.account(email).injected.push(error);
  }
  /** The refresh token stops working: the next refresh answers `invalid_grant`. */
  revoke(refreshToken: string): void {
    const entry = this.#refresh.get(refreshToken);
    if (entry) entry.revoked = true;
  }
  refreshTokensOf(email: string): string[] {
    return [...this.#refresh].filter(([, v]) => v.email === email).map(([k]) => k);
  }
  /** An access token for direct googleapis use in tests (no consent round trip). */
  accessTokenFor(email: string): string {
    this.account(email);
    const access = token('ya29');
    this.#access.set(access, email);
    return access;
  }
  channels(email: string): FakeChannel[] {
    return [...this.calendar(email).channels.values()];
  }
  /** Most Calendar requests of the user within any 60-second window. */
  maxPerMinute(email: string): number {
    const times = this.account(email).requestTimes;
    let best = 0;
    for (let i = 0, j = 0; j < times.length; j += 1) {
      while (times[j] - times[i] >= 60_000) i += 1;
      best = Math.max(best, j - i + 1);
    }
    return best;
  }
  requestCount(email: string): number {
    return this.account(email).requestTimes.length;
  }

  // ---- HTTP ----

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    let answer: Handled;
    try {
      const raw = await readBody(req);
      answer = this.#route(req, url, raw);
    } catch (error) {
      answer = errorAnswer(error);
    }
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  #route(req: IncomingMessage, url: URL, raw: string): Handled {
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return this.#consent(url.searchParams);
    if (method === 'POST' && url.pathname === '/token') return this.#token(new URLSearchParams(raw));
    if (method === 'POST' && url.pathname === '/revoke') {
      const revoked = new URLSearchParams(raw).get('token') ?? url.searchParams.get('token') ?? '';
      this.revoke(revoked);
      return { status: 200, body: {} };
    }
    if (!url.pathname.startsWith('/calendar/v3/')) throw new FakeGoogleError(404, 'notFound');
    const account = this.#authorize(req);
    account.requestTimes.push(Date.now());
    const injected = account.injected.shift();
    if (injected === '429') throw new FakeGoogleError(429, 'rateLimitExceeded', 'Too Many Requests');
    if (injected) throw new FakeGoogleError(403, injected, 'Rate Limit Exceeded');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    return this.#calendarRoute(account, method, url, body, req.headers['if-match']);
  }

  #authorize(req: IncomingMessage): Account {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const email = bearer ? this.#access.get(bearer) : undefined;
    if (!email) throw new FakeGoogleError(401, 'authError', 'Invalid Credentials');
    return this.account(email);
  }

  #calendarRoute(account: Account, method: string, url: URL, body: GEvent, ifMatch?: string): Handled {
    const parts = url.pathname.slice('/calendar/v3/'.length).split('/').map(decodeURIComponent);
    const q = url.searchParams;
    if (method === 'POST' && parts[0] === 'freeBusy') return this.#freeBusy(account, body as FreeBusyBody);
    if (method === 'POST' && parts.join('/') === 'channels/stop') {
      const stop = body as { id?: string };
      for (const a of this.#accounts.values()) a.calendar.channels.delete(String(stop.id));
      return { status: 204 };
    }
    if (parts[0] !== 'calendars') throw new FakeGoogleError(404, 'notFound');
    const calendarId = parts[1] === 'primary' ? account.email : parts[1];
    if (calendarId !== account.email) throw new FakeGoogleError(404, 'notFound', 'Not Found');
    const cal = account.calendar;
    if (parts.length === 2 && method === 'GET') return ok({ kind: 'calendar#calendar', id: cal.id, timeZone: 'UTC' });
    if (parts[2] !== 'events') throw new FakeGoogleError(404, 'notFound');
    const id = parts[3];
    if (id === undefined && method === 'GET') return ok(cal.list(listParams(q)));
    if (id === undefined && method === 'POST') return ok(cal.insert(body));
    if (id === 'watch' && method === 'POST') return ok(this.#watch(cal, body as WatchBody));
    if (id === undefined) throw new FakeGoogleError(404, 'notFound');
    if (parts[4] === 'instances') {
      const items = cal.instances(id, q.get('timeMin') ?? undefined, q.get('timeMax') ?? undefined);
      return ok({ kind: 'calendar#events', items });
    }
    if (method === 'GET') return ok(cal.get(id));
    if (method === 'PATCH') return ok(cal.patch(id, body, ifMatch));
    if (method === 'PUT') return ok(cal.update(id, body, ifMatch));
    if (method === 'DELETE') {
      cal.delete(id, ifMatch);
      return { status: 204 };
    }
    throw new FakeGoogleError(404, 'notFound');
  }

  #freeBusy(account: Account, body: FreeBusyBody): Handled {
    const calendars: Record<string, unknown> = {};
    for (const item of body.items ?? []) {
      const id = item.id === 'primary' ? account.email : item.id;
      calendars[item.id] =
        id === account.email
          ? { busy: account.calendar.busy(body.timeMin, body.timeMax) }
          : { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
    }
    return ok({ kind: 'calendar#freeBusy', timeMin: body.timeMin, timeMax: body.timeMax, calendars });
  }

  #watch(cal: FakeCalendar, body: WatchBody): Record<string, unknown> {
    const channel: FakeChannel = {
      id: body.id,
      resourceId: token('res'),
      token: body.token ?? '',
      address: body.address,
      expiration: Number(body.expiration ?? Date.now() + 7 * 86_400_000),
      messages: 0,
    };
    cal.channels.set(channel.id, channel);
    this.#deliver(channel, 'sync');
    const { id, resourceId, expiration } = channel;
    return {
      kind: 'api#channel',
      id,
      resourceId,
      resourceUri: `${this.url}/calendar/v3/calendars/${cal.id}/events`,
      expiration: String(expiration),
    };
  }

  #notify(cal: FakeCalendar, state: string): void {
    for (const channel of cal.channels.values()) if (channel.expiration > Date.now()) this.#deliver(channel, state);
  }

  #deliver(channel: FakeChannel, state: string): void {
    channel.messages += 1;
    const record: (typeof this.pushes)[number] = { channelId: channel.id, state, status: null };
    this.pushes.push(record);
    // After the answer that caused it, as Google does: the receiver may call back into the fake.
    setImmediate(() => {
      fetch(channel.address, {
        method: 'POST',
        headers: {
          'X-Goog-Channel-ID': channel.id,
          'X-Goog-Channel-Token': channel.token,
          'X-Goog-Resource-ID': channel.resourceId,
          'X-Goog-Resource-State': state,
          'X-Goog-Message-Number': String(channel.messages),
          'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
        },
      })
        .then(async (res) => {
          record.status = res.status;
          await res.arrayBuffer();
        })
        .catch(() => (record.status = 0));
    });
  }

  #consent(q: URLSearchParams): Handled {
    this.lastConsent = q;
    const redirect = new URL(q.get('redirect_uri') ?? '');
    if (q.get('client_id') !== this.client.id) throw new FakeGoogleError(400, 'invalid_client');
    const code = token('code');
    this.#codes.set(code, { email: this.consentEmail, redirectUri: redirect.href });
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('state', q.get('state') ?? '');
    return { status: 302, headers: { location: redirect.href } };
  }

  #token(form: URLSearchParams): Handled {
    if (form.get('client_id') !== this.client.id || form.get('client_secret') !== this.client.secret)
      return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
    const access = token('ya29');
    const base = {
      access_token: access,
      expires_in: this.accessTokenLifetimeS,
      token_type: 'Bearer',
      scope: 'https://www.googleapis.com/auth/calendar',
    };
    if (form.get('grant_type') === 'authorization_code') {
      const grant = this.#codes.get(form.get('code') ?? '');
      this.#codes.delete(form.get('code') ?? '');
      if (!grant || grant.redirectUri !== form.get('redirect_uri')) return invalidGrant('Bad Request');
      const refresh = token('1//refresh');
      this.#refresh.set(refresh, { email: grant.email, revoked: false });
      this.#access.set(access, grant.email);
      this.account(grant.email);
      return ok({ ...base, refresh_token: refresh });
    }
    if (form.get('grant_type') === 'refresh_token') {
      const entry = this.#refresh.get(form.get('refresh_token') ?? '');
      if (!entry || entry.revoked) return invalidGrant('Token has been expired or revoked.');
      this.#access.set(access, entry.email);
      return ok(base);
    }
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }
}

interface FreeBusyBody {
  timeMin: string;
  timeMax: string;
  items?: { id: string }[];
}
interface WatchBody {
  id: string;
  type?: string;
  address: string;
  token?: string;
  expiration?: string | number;
}

const ok = (body: unknown): Handled => ({ status: 200, body });
const invalidGrant = (description: string): Handled => ({
  status: 400,
  body: { error: 'invalid_grant', error_description: description },
});

function listParams(q: URLSearchParams): ListParams {
  const flag = (name: string) => (q.has(name) ? q.get(name) === 'true' : undefined);
  return {
    syncToken: q.get('syncToken') ?? undefined,
    pageToken: q.get('pageToken') ?? undefined,
    maxResults: q.has('maxResults') ? Number(q.get('maxResults')) : undefined,
    showDeleted: flag('showDeleted'),
    singleEvents: flag('singleEvents'),
    timeMin: q.get('timeMin') ?? undefined,
    timeMax: q.get('timeMax') ?? undefined,
  };
}

function errorAnswer(error: unknown): Handled {
  if (!(error instanceof FakeGoogleError)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 400,
      body: { error: { code: 400, message, errors: [{ domain: 'global', reason: 'parseError', message }] } },
    };
  }
  const { status, reason, message } = error;
  return { status, body: { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts a fake on a random loopback port. */
export function startGoogleFake(client?: { id: string; secret: string }): Promise<GoogleFake> {
  return new GoogleFake(client).start();
}
