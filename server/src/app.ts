import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { limits } from '@crewdeck/shared/limits';
import { registerAuditRoutes } from './audit/audit.routes.ts';
import { createAuthenticate } from './auth/auth.middleware.ts';
import { registerAuthRoutes } from './auth/auth.routes.ts';
import { connectDatabase } from './db.ts';
import { registerGroupRoutes } from './groups/groups.routes.ts';
import { registerHealthRoutes } from './health/health.routes.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { csrfProtection } from './http/csrf.ts';
import { apiNotFound, errorMiddleware } from './http/error-middleware.ts';
import { RouteRegistry } from './http/route.ts';
import { registerOpenApiRoutes } from './openapi/openapi.routes.ts';
import { registerPermissionRoutes } from './permissions/permissions.routes.ts';
import { attachRealtime } from './realtime/realtime.gateway.ts';
import { registerReportRoutes } from './reports/reports.routes.ts';
import { createServices, type Services } from './services.ts';
import { bootstrapOwner } from './users/bootstrap-owner.command.ts';
import { registerUserRoutes } from './users/users.routes.ts';
import { registerProfileRoutes } from './users/profile.routes.ts';
import { registerFeedRoutes } from './feed/feed.routes.ts';
import { sweepDueDates } from './notifications/due-sweep.ts';
import { registerNotificationRoutes } from './notifications/notifications.routes.ts';
import { registerProjectRoutes } from './projects/projects.routes.ts';
import { useRedisAdapter } from './realtime/redis-adapter.ts';
import { registerTaskRoutes } from './tasks/tasks.routes.ts';
import { RedisRelay } from './collab/collab.relay.ts';
import type { CollabRegistry, CollabTimings } from './collab/collab.registry.ts';
import { registerVersionRoutes } from './collab/versions.routes.ts';
import { registerLibraryRoutes } from './library/library.routes.ts';
import { registerScheduleRoutes } from './schedules/schedules.routes.ts';
import { registerCalendarRoutes } from './calendar/calendar.routes.ts';
import { ensureSearchIndex, registerCrmRoutes, startCrmSweeps, type CrmSweeps } from './crm.module.ts';
import { loadSecretKey } from './security/secret-box.ts';
import { sweepBehindSchedule } from './schedules/behind-sweep.ts';
import { createGoogleSync, type GoogleSync } from './calendar/google/google.module.ts';
import { googleConfigFrom, type GoogleConfig } from './calendar/google/google.config.ts';
import type { InboundHooks } from './calendar/google/google-inbound.ts';

export interface StartOptions {
  /** TCP port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Interface to listen on (`HOST`); every interface when absent. */
  host?: string;
  /** Embedded store directory (memory-only when absent and no mongoUri). */
  dataDir?: string;
  /** A real MongoDB instead of the embedded store. */
  mongoUri?: string;
  /** Database name (default `crewdeck`); tests use one per file so they can share a real MongoDB. */
  dbName?: string;
  /** Owner login created on first start (default `admin`). */
  adminLogin?: string;
  /** Owner password on first start; generated (and one-time) when absent. */
  adminPassword?: string;
  /** No informational output (errors are still printed). */
  quiet?: boolean;
  /** Extra origins allowed to make cookie-authenticated writes (e.g. a dev server). */
  trustedOrigins?: string[];
  /** Express `trust proxy` setting, for `req.ip` and `req.secure` behind a reverse proxy. */
  trustProxy?: boolean | number | string;
  /** Redis for the Socket.IO adapter, so several instances share rooms (REDIS_URL). */
  redisUrl?: string;
  /** Public address of the web app (`PUBLIC_URL`): iCal addresses and Google's redirect and push URLs. */
  publicUrl?: string;
  /** Secret sealing tokens at rest (`CREWDECK_SECRET_KEY`); else a key generated once into the data directory. */
  secretKey?: string;
  /** Library: largest upload in MB (default `LIBRARY_MAX_UPLOAD_MB` or 25) and co-editing timers (tests shorten them). */
  library?: { maxUploadMb?: number; timings?: Partial<CollabTimings> };
  /** Google sync settings over the GOOGLE_* environment (tests point it at a fake); `hooks` are test seams. */
  google?: Partial<GoogleConfig> & { oauthRoot?: string; hooks?: InboundHooks };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
  bootstrap: { login: string; password: string } | null;
  /** Re-checks open tasks against their assignees' remaining hours; returns how many changed (also every 10 min). */
  sweepBehindSchedule(now?: Date): Promise<number>;
  /** Raises the event reminders due in (since, now]; returns how many (the server also runs it every minute). */
  sweepReminders(since: Date, now: Date): Promise<number>;
  /** Runs the due-soon/overdue sweep now (it also runs every `dueSweepMs`); returns notifications raised. */
  sweepDueDates(now?: Date): Promise<number>;
  /** Loaded co-editing documents (tests and benchmarks load, compact and count them). */
  collab: CollabRegistry;
  /** The Google sync (tests trigger syncs and polls directly). */
  google: GoogleSync;
  /** CRM sweeps, run on their own schedule too (tests and tools call them directly). */
  crm: CrmSweeps;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(`${root}server/package.json`, 'utf8')) as { version: string }).version;
const webHandlerPath = `${root}web/build/handler.js`;

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

function registerRoutes(routes: RouteRegistry, s: Services, options: StartOptions): void {
  registerHealthRoutes(routes, version);
  registerAuthRoutes(routes, s.auth, s.users);
  registerReportRoutes(routes, s.reports);
  registerUserRoutes(routes, s.users);
  registerProfileRoutes(routes, s);
  registerGroupRoutes(routes, s.groups);
  registerPermissionRoutes(routes, s.permissions);
  registerAuditRoutes(routes, s.auditQueries);
  registerProjectRoutes(routes, s);
  registerTaskRoutes(routes, s);
  registerFeedRoutes(routes, s.feed);
  registerNotificationRoutes(routes, s.notifications);
  registerLibraryRoutes(routes, s.library);
  registerVersionRoutes(routes, s.library.versions);
  registerScheduleRoutes(routes, s.schedules);
  registerCalendarRoutes(routes, s.calendar, options.publicUrl);
  registerCrmRoutes(routes, s.crm);
  registerOpenApiRoutes(routes, version);
}

/** The SvelteKit adapter-node handler, when the web app was built. */
async function loadWebHandler(): Promise<RequestHandler | null> {
  if (!existsSync(webHandlerPath)) return null;
  const mod = (await import(pathToFileURL(webHandlerPath).href)) as { handler: RequestHandler };
  return mod.handler;
}

async function createApp(s: Services, options: StartOptions, google: GoogleSync): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  // The web app brings its own CSP (SvelteKit's kit.csp, with hashes for its inline
  // bootstrap script); API answers get the strictest one.
  app.use(helmet({ contentSecurityPolicy: false }));
  const apiCsp = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  });
  app.use(
    '/api',
    apiCsp,
    noStore,
    express.json({ limit: limits.jsonBody }),
    csrfProtection(new Set(options.trustedOrigins ?? [])),
  );
  const routes = new RouteRegistry(createAuthenticate(s.resolver));
  registerRoutes(routes, s, options);
  google.registerRoutes(routes);
  app.use(routes.router);
  app.use('/api', apiNotFound);
  const web = await loadWebHandler();
  if (web) app.use(web);
  app.use(errorMiddleware((error) => console.error('[crewdeck] unhandled error', error)));
  return app;
}

function listen(server: Server, port: number, host: string | undefined): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

const isWildcard = (address: string) => address === '::' || address === '0.0.0.0';

/** A URL this process can reach itself at (tests and tools connect to it). */
function localUrl({ address, family, port }: AddressInfo): string {
  if (isWildcard(address)) return `http://127.0.0.1:${port}`;
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
}

/** The address as a URL people can open; a wildcard address is named as such. */
function describeAddress(bound: AddressInfo): string {
  if (isWildcard(bound.address)) return `every interface, port ${bound.port} (http://localhost:${bound.port})`;
  return localUrl(bound);
}

/** Starts API + Socket.IO + web app in one process on one port. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const log = options.quiet ? () => undefined : (line: string) => console.log(line);
  const db = await connectDatabase({ uri: options.mongoUri, dataDir: options.dataDir, dbName: options.dbName });
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  // Co-editing relays through Redis too; pub/sub loses what is published while disconnected,
  // so loaded documents resync from the database when the subscriber reconnects.
  const relay = options.redisUrl
    ? await RedisRelay.connect(options.redisUrl, () => s.library.registry.resync())
    : undefined;
  const s = createServices({
    library: { relay, maxUploadMb: options.library?.maxUploadMb, timings: options.library?.timings },
    secretKey: loadSecretKey({ secret: options.secretKey, dataDir: options.dataDir, warn: log }),
  });
  await s.permissions.load();
  const bootstrap = await bootstrapOwner(
    { users: s.repos.users, counters: s.repos.counters, audit: s.audit },
    { login: options.adminLogin, password: options.adminPassword },
  );
  const { hooks, ...googleOptions } = options.google ?? {};
  const googleConfig = googleConfigFrom({
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...googleOptions,
  });
  const google = createGoogleSync({
    events: s.events,
    access: s.access,
    secretBox: s.secretBox,
    config: googleConfig,
    log,
    hooks,
  });
  // Google said the refresh token is dead: the person must reconnect, and hears it at once.
  google.service.onNeedsReconnect = async (userId) => {
    await s.notifications.raise({
      kind: 'googleReconnect',
      userId,
      actor: null,
      projectId: null,
      task: null,
      subject: { kind: 'google', id: userId, title: 'Google Calendar' },
      data: {},
    });
  };
  const stopCalendarSync = s.calendar.events.listenToSync((e: unknown) =>
    console.error('[crewdeck] calendar sync feed failed', e),
  );
  const stopBusyCache = s.calendar.busy.listen(s.events, (e: unknown) =>
    console.error('[crewdeck] busy-time stamp failed', e),
  );
  const app = await createApp(s, options, google);
  // A campaign a previous process was sending when it stopped goes on where it was.
  void s.crm.campaigns.resume().catch((e: unknown) => console.error('[crewdeck] campaign resume failed', e));
  const server = createServer(app);
  answerClientErrors(server);
  const isSecure = (req: IncomingMessage) =>
    'encrypted' in req.socket ||
    (options.trustProxy !== undefined && options.trustProxy !== false && req.headers['x-forwarded-proto'] === 'https');
  const logError = (error: unknown) => console.error('[crewdeck] realtime error', error);
  const feed = { feed: s.feed, publisher: s.publisher, presence: s.presence };
  const realtime = attachRealtime(server, {
    resolver: s.resolver,
    events: s.events,
    trustedOrigins: new Set(options.trustedOrigins ?? []),
    isSecure,
    feed,
    library: s.library,
    log: logError,
  });
  const closeRedis = options.redisUrl
    ? await useRedisAdapter(realtime.io, options.redisUrl, logError)
    : async () => undefined;
  const stopNotifications = s.notifications.listen(logError);
  // After Socket.IO: the co-editing gateway routes `/yjs/` upgrades and hands it the rest.
  s.library.attach(server, { resolver: s.resolver, trustedOrigins: new Set(options.trustedOrigins ?? []), isSecure });
  const bound = await listen(server, options.port ?? 3000, options.host);
  const { port } = bound;
  // Without PUBLIC_URL, Google's redirect and push addresses point where this process listens.
  if (!options.publicUrl && !process.env.PUBLIC_URL && !googleOptions.publicUrl)
    googleConfig.publicUrl = localUrl(bound);
  google.start();
  // Expiry takes effect at its instant through the resolver's timers; this sweep is the safety
  // net (and re-reads expiries changed through another instance).
  const sweeper = setInterval(
    () => void s.resolver.sweep().catch((e: unknown) => console.error('[crewdeck] sweep failed', e)),
    30_000,
  );
  sweeper.unref();
  const sweepDue = (now?: Date) =>
    sweepDueDates({ tasks: s.repos.tasks, projects: s.repos.projects, notifications: s.notifications }, now);
  const dueSweeper = setInterval(
    () => void sweepDue().catch((e: unknown) => console.error('[crewdeck] due sweep failed', e)),
    limits.dueSweepMs,
  );
  dueSweeper.unref();
  const sweepBehind = (now?: Date) =>
    sweepBehindSchedule(
      { tasks: s.repos.tasks, projects: s.repos.projects, availability: s.availability, publisher: s.publisher },
      now,
    );
  const behindSweeper = setInterval(
    () => void sweepBehind().catch((e: unknown) => console.error('[crewdeck] behind-schedule sweep failed', e)),
    10 * 60_000,
  );
  behindSweeper.unref();
  // Event reminders: each sweep raises those that fell due since the previous one (once each).
  let remindedUntil = new Date();
  const reminderSweeper = setInterval(() => {
    const now = new Date();
    void s.calendar.notifier
      .sweepReminders(remindedUntil, now)
      .then(() => (remindedUntil = now))
      .catch((e: unknown) => console.error('[crewdeck] reminder sweep failed', e));
  }, 60_000);
  reminderSweeper.unref();
  const crmSweeps = startCrmSweeps(s.crm, (what, e) => console.error(`[crewdeck] ${what} failed`, e));
  void ensureSearchIndex(s.crm).catch((e: unknown) => console.error('[crewdeck] search index rebuild failed', e));
  if (bootstrap) printBootstrap(log, bootstrap, options.adminPassword === undefined);
  log(`[crewdeck] listening on ${describeAddress(bound)} (${db.embedded ? 'embedded store' : 'MongoDB'})`);
  return {
    url: localUrl(bound),
    port,
    bootstrap,
    sweepDueDates: sweepDue,
    sweepBehindSchedule: sweepBehind,
    sweepReminders: (since, now) => s.calendar.notifier.sweepReminders(since, now),
    collab: s.library.registry,
    google,
    crm: crmSweeps,
    close: async () => {
      crmSweeps.stop();
      await google.stop();
      clearInterval(dueSweeper);
      clearInterval(reminderSweeper);
      clearInterval(behindSweeper);
      stopCalendarSync();
      stopBusyCache();
      s.resolver.close();
      stopNotifications();
      // Co-editing sockets first: the HTTP server's close waits for upgraded sockets too.
      // Documents are stored and unloaded before the database closes.
      await s.library.close();
      await shutdown(server, realtime, sweeper, db.close);
      await closeRedis();
    },
  };
}

function printBootstrap(log: (line: string) => void, b: { login: string; password: string }, oneTime: boolean): void {
  log('');
  log('==================== Crewdeck owner account ====================');
  log(`  login:    ${b.login}`);
  log(`  password: ${b.password}${oneTime ? '   (one-time: you must change it at first login)' : ''}`);
  log('================================================================');
  log('');
}

/** Stop accepting, let requests finish, close sockets, then the database. */
async function shutdown(
  server: Server,
  realtime: ReturnType<typeof attachRealtime>,
  sweeper: NodeJS.Timeout,
  closeDb: () => Promise<void>,
): Promise<void> {
  clearInterval(sweeper);
  realtime.detach();
  const closed = new Promise<void>((resolve) => {
    void realtime.io.close(() => resolve());
  });
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 10_000);
  await closed;
  clearTimeout(force);
  await closeDb();
}
