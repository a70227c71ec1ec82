// The Google connection of each user: OAuth, status, and when to sync which way. The inbound
// and outbound rules live in google-inbound.ts and google-outbound.ts.
import type { GoogleStatus, BusyInterval } from '@crewdeck/shared/calendar';
import type { EventBus } from '../../events/event-bus.ts';
import type { AuthedContext } from '../../http/context.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { EventDoc } from '../calendar.model.ts';
import { occurrences } from '../recurrence.ts';
import { closeChannel, needsRenewal, openChannel, tokenMatches } from './google-channels.ts';
import { GoogleClients, isInvalidGrant, type UserCalendar } from './google-client.ts';
import type { GoogleConnectionDoc } from './google-connection.model.ts';
import { InboundSync, type Change, type InboundHooks } from './google-inbound.ts';
import { googleScopes, sealState, stateMatches } from './google-oauth.ts';
import { OutboundSync, type Target } from './google-outbound.ts';
import { GoogleConnections, GoogleEventLinks } from './google.repository.ts';
import { isConfigured, pushAddress, type GoogleConfig } from './google.config.ts';

type Log = (line: string) => void;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

export interface GoogleSyncDeps {
  events: EventBus;
  secretBox: SecretBox;
  config: GoogleConfig;
  log: Log;
  hooks?: InboundHooks;
}

export interface PushHeaders {
  channelId?: string;
  token?: string;
  state?: string;
}

export class GoogleSyncService {
  readonly connections = new GoogleConnections();
  readonly links = new GoogleEventLinks();
  readonly #deps: GoogleSyncDeps;
  readonly #clients: GoogleClients;
  readonly #inbound: InboundSync;
  readonly #outbound: OutboundSync;
  /** Per-user single flight: a sync asked for while one runs runs once more after it. */
  readonly #running = new Map<string, { done: Promise<void>; again: boolean }>();
  /** Per-user queue of outbound pushes, in the order the changes committed. */
  readonly #queues = new Map<string, Promise<void>>();
  /** First syncs started by a callback (they outlive the request). */
  readonly #background = new Set<Promise<void>>();
  /** Set by the app: tells the user their Google connection needs a reconnect. */
  onNeedsReconnect?: (userId: string) => Promise<void>;

  constructor(deps: GoogleSyncDeps) {
    this.#deps = deps;
    this.#clients = new GoogleClients(deps.config, {
      onRefreshToken: (userId, token) =>
        void this.connections.update(userId, { refreshTokenSealed: deps.secretBox.seal(token) }),
    });
    this.#inbound = new InboundSync({
      connections: this.connections,
      links: this.links,
      pageSize: deps.config.pageSize,
      hooks: deps.hooks,
    });
    this.#outbound = new OutboundSync({ links: this.links, log: deps.log });
  }

  async status(userId: string): Promise<GoogleStatus> {
    const conn = await this.connections.find(userId);
    return {
      configured: isConfigured(this.#deps.config),
      state: conn?.refreshTokenSealed || conn?.state === 'needsReconnect' ? conn.state : 'disconnected',
      account: conn?.account ?? null,
      lastSyncAt: conn?.lastSyncAt?.toISOString() ?? null,
      lastError: conn?.lastError ?? null,
      progress: conn?.progress ?? null,
      imported: conn?.imported ?? 0,
      channelExpiresAt: conn?.channel?.expiration.toISOString() ?? null,
    };
  }

  connectUrl(ctx: AuthedContext): string {
    return this.#clients.oauth().generateAuthUrl({
      access_type: 'offline',
      // Always ask: Google only returns a refresh token on a consent it just showed.
      prompt: 'consent',
      include_granted_scopes: true,
      scope: googleScopes,
      state: sealState(this.#deps.secretBox, ctx.actor.id, ctx.sessionId),
    });
  }

  /** Finishes the consent; answers where to send the browser. The first sync runs after. */
  async callback(ctx: AuthedContext, query: { code?: string; state: string; error?: string }): Promise<string> {
    const page = '/calendar/google';
    const userId = ctx.actor.id;
    if (!stateMatches(this.#deps.secretBox, query.state, userId, ctx.sessionId)) return `${page}?error=state`;
    if (query.error || !query.code) return `${page}?error=${encodeURIComponent(query.error ?? 'denied')}`;
    const { tokens } = await this.#clients.oauth().getToken(query.code);
    if (!tokens.refresh_token) return `${page}?error=no_refresh_token`;
    this.#clients.drop(userId);
    const cal = this.#clients.forUser(userId, tokens.refresh_token, tokens);
    const primary = await cal.call((api) => api.calendars.get({ calendarId: 'primary' }));
    const previous = await this.connections.find(userId);
    // Another Google account than before: its mirrored events are not this one's.
    if (previous?.account && previous.account !== primary.id) await this.#removeMirrored(userId);
    await this.connections.upsert(userId, {
      account: primary.id ?? null,
      refreshTokenSealed: this.#deps.secretBox.seal(tokens.refresh_token),
      state: 'connecting',
      syncToken: previous?.account === primary.id ? (previous?.syncToken ?? null) : null,
      lastError: null,
      progress: 0,
      reconnectNotifiedAt: null,
    });
    const first = this.#firstSync(userId, cal).catch((e: unknown) =>
      this.#deps.log(`[google] first sync: ${message(e)}`),
    );
    this.#background.add(first);
    void first.finally(() => this.#background.delete(first));
    return `${page}?connected=1`;
  }

  async #firstSync(userId: string, cal: UserCalendar): Promise<void> {
    await this.syncNow(userId);
    await this.#renewChannel(userId, cal).catch((e: unknown) => this.#deps.log(`[google] watch failed: ${message(e)}`));
    // Events planned here before connecting are pushed too (from now on).
    const conn = await this.connections.find(userId);
    if (!conn || conn.state !== 'ok') return;
    for (const doc of await this.links.crewdeckEventsOf(userId, new Date()))
      await this.#enqueue(userId, () => this.#outbound.push(userId, { cal, mark: conn.fullSyncMark }, null, doc));
  }

  async disconnect(userId: string): Promise<void> {
    const conn = await this.connections.find(userId);
    if (conn?.refreshTokenSealed) {
      const cal = this.#client(conn);
      if (conn.channel) await closeChannel(cal, conn.channel).catch(() => undefined);
      // Revoking is a courtesy to the user: failure (offline, already revoked) does not block.
      await this.#clients
        .oauth()
        .revokeToken(this.#deps.secretBox.open(conn.refreshTokenSealed))
        .catch(() => undefined);
    }
    this.#clients.drop(userId);
    await this.#removeMirrored(userId);
    await this.connections.remove(userId);
  }

  async #removeMirrored(userId: string): Promise<void> {
    const mirrored = await this.links.mirroredOf(userId);
    await this.links.removeAllMirrored(userId);
    for (const before of mirrored)
      this.#deps.events.emit('calendar.eventChanged', { before, after: null, fromGoogle: userId });
  }

  /** Inbound sync now (single flight per user in this process; transactions cover the rest). */
  syncNow(userId: string): Promise<void> {
    const running = this.#running.get(userId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { done: Promise.resolve(), again: false };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.#syncOnce(userId);
        } while (entry.again);
      } finally {
        this.#running.delete(userId);
      }
    })();
    this.#running.set(userId, entry);
    return entry.done;
  }

  async #syncOnce(userId: string): Promise<void> {
    const conn = await this.connections.find(userId);
    if (!conn?.refreshTokenSealed || conn.state === 'needsReconnect') return;
    let client: UserCalendar;
    try {
      client = this.#client(conn);
    } catch {
      // The token was sealed under another key (CREWDECK_SECRET_KEY changed or the key file was
      // lost): it cannot be read again, so the person must reconnect, and is told so.
      return this.#needsReconnect(userId);
    }
    try {
      await this.#inbound.run(userId, client, (changes) => this.#emit(userId, changes));
    } catch (error) {
      if (isInvalidGrant(error)) return this.#needsReconnect(userId);
      this.#deps.log(`[google] sync of ${userId} failed: ${message(error)}`);
      await this.connections.update(userId, { state: 'error', lastError: message(error), progress: null });
    }
  }

  #emit(userId: string, changes: Change[]): void {
    for (const { before, after } of changes)
      this.#deps.events.emit('calendar.eventChanged', { before, after, fromGoogle: userId });
  }

  async #needsReconnect(userId: string): Promise<void> {
    this.#clients.drop(userId);
    const conn = await this.connections.find(userId);
    await this.connections.update(userId, {
      state: 'needsReconnect',
      lastError: 'Google no longer accepts this connection (access revoked or expired): reconnect',
      progress: null,
      reconnectNotifiedAt: conn?.reconnectNotifiedAt ?? new Date(),
    });
    if (!conn?.reconnectNotifiedAt)
      await this.onNeedsReconnect?.(userId).catch((e: unknown) => this.#deps.log(message(e)));
  }

  #client(conn: GoogleConnectionDoc): UserCalendar {
    return this.#clients.forUser(String(conn.userId), this.#deps.secretBox.open(String(conn.refreshTokenSealed)));
  }

  /** A push notification; answers the HTTP status. The sync itself runs after the answer. */
  async notification(headers: PushHeaders): Promise<number> {
    if (!headers.channelId) return 400;
    const conn = await this.connections.findByChannel(headers.channelId);
    // Unknown channel (stopped or replaced): 200, so Google does not keep retrying it.
    if (!conn?.channel) return 200;
    if (!tokenMatches(conn.channel.token, headers.token)) return 403;
    if (headers.state === 'exists') setImmediate(() => void this.syncNow(String(conn.userId)));
    return 200;
  }

  async #renewChannel(userId: string, cal: UserCalendar): Promise<void> {
    const conn = await this.connections.find(userId);
    if (!conn) return;
    const channel = await openChannel(cal, pushAddress(this.#deps.config));
    await this.connections.update(userId, { channel });
    if (conn.channel) await closeChannel(cal, conn.channel).catch(() => undefined);
  }

  /** Poll backstop and channel renewal for every active connection, one user after another. */
  async pollAll(): Promise<void> {
    for (const conn of await this.connections.active()) {
      const userId = String(conn.userId);
      await this.syncNow(userId);
      if (needsRenewal(conn, this.#deps.config.channelRenewBeforeMs))
        await this.#renewChannel(userId, this.#client(conn)).catch((e: unknown) => this.#deps.log(message(e)));
    }
  }

  /** Outbound: every connected participant except the one whose Google the change came from. */
  handleChange(before: EventDoc | null, after: EventDoc | null, fromGoogle: string | null): Promise<void> {
    const people = new Set([...(before?.participants ?? []), ...(after?.participants ?? [])].map(String));
    const id = String((after ?? before)?._id);
    const pushes = [...people]
      .filter((userId) => userId !== fromGoogle)
      .map((userId) =>
        this.#enqueue(userId, async () => {
          const target = await this.#target(userId);
          if (!target) return;
          // Re-read: links written since the change was raised (our own earlier pushes) count.
          const current = after ? await this.links.byId(id) : null;
          if (after && !current) return;
          await this.#outbound.push(userId, target, before, current);
        }),
      );
    return Promise.all(pushes).then(() => undefined);
  }

  async #target(userId: string): Promise<Target | null> {
    const conn = await this.connections.find(userId);
    if (!conn?.refreshTokenSealed || conn.state === 'needsReconnect') return null;
    return { cal: this.#client(conn), mark: conn.fullSyncMark };
  }

  #enqueue(userId: string, work: () => Promise<void>): Promise<void> {
    const run = (this.#queues.get(userId) ?? Promise.resolve()).then(work).catch(async (error: unknown) => {
      if (isInvalidGrant(error)) return this.#needsReconnect(userId);
      this.#deps.log(`[google] push to ${userId} failed: ${message(error)}`);
      await this.connections.update(userId, { lastError: message(error) });
    });
    this.#queues.set(userId, run);
    void run.finally(() => {
      if (this.#queues.get(userId) === run) this.#queues.delete(userId);
    });
    return run;
  }

  /** Waits for queued pushes and running syncs (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#queues.size > 0 || this.#running.size > 0 || this.#background.size > 0)
      await Promise.all([
        ...this.#queues.values(),
        ...this.#background,
        ...[...this.#running.values()].map((r) => r.done),
      ]);
  }

  /**
   * Google-only busy time: the mirrored events (kept current by the sync) that block time,
   * expanded. A query, not the freeBusy API: no Google round trip inside a booking.
   */
  async busyTimes(userId: string, from: Date, to: Date): Promise<BusyInterval[]> {
    const docs = await this.links.busyMirrored(userId, from, to);
    const overrides = docs.filter((d) => d.recurringEventId);
    return docs
      .filter((d) => !d.recurringEventId)
      .flatMap((d) =>
        occurrences(
          d,
          overrides.filter((o) => String(o.recurringEventId) === String(d._id)),
          from,
          to,
        ),
      )
      .filter((o) => o.doc.busy)
      .map((o) => ({ start: o.start.toISOString(), end: o.end.toISOString() }))
      .sort((a, b) => a.start.localeCompare(b.start));
  }
}
