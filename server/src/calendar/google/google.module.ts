// Wires the Google sync: the service, its routes, the outbound listener and the poll timer.
import type { EventBus } from '../../events/event-bus.ts';
import type { RouteRegistry } from '../../http/route.ts';
import type { AccessControl } from '../../permissions/access-control.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { GoogleConfig } from './google.config.ts';
import { isConfigured } from './google.config.ts';
import type { InboundHooks } from './google-inbound.ts';
import { registerGoogleRoutes } from './google.routes.ts';
import { GoogleSyncService } from './google-sync.service.ts';

export interface GoogleSyncModuleDeps {
  events: EventBus;
  access: AccessControl;
  secretBox: SecretBox;
  config: GoogleConfig;
  log: (line: string) => void;
  /** Test seams (a simulated crash before the sync token is saved). */
  hooks?: InboundHooks;
}

export function createGoogleSync(deps: GoogleSyncModuleDeps) {
  const service = new GoogleSyncService(deps);
  let unsubscribe: (() => void) | null = null;
  let poller: NodeJS.Timeout | null = null;
  let polling: Promise<void> = Promise.resolve();
  return {
    service,
    registerRoutes(routes: RouteRegistry): void {
      registerGoogleRoutes(routes, service, deps.access);
    },
    /** Listens for committed calendar changes and polls every GOOGLE_SYNC_INTERVAL_S. */
    start(): void {
      unsubscribe = deps.events.on('calendar.eventChanged', ({ before, after, fromGoogle }) => {
        void service.handleChange(before, after, fromGoogle);
      });
      if (!isConfigured(deps.config)) return;
      poller = setInterval(() => {
        polling = polling
          .then(() => service.pollAll())
          .catch((e: unknown) => deps.log(`[google] poll failed: ${String(e)}`));
      }, deps.config.syncIntervalS * 1000);
      poller.unref();
    },
    /** Another independent worker on the same database (a second instance; tests race them). */
    createWorker(): GoogleSyncService {
      return new GoogleSyncService(deps);
    },
    async stop(): Promise<void> {
      unsubscribe?.();
      if (poller) clearInterval(poller);
      await polling;
      await service.idle();
    },
  };
}

export type GoogleSync = ReturnType<typeof createGoogleSync>;
