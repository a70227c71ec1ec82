import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { limits } from '@crewdeck/shared/limits';
import type { PersonRef } from '@crewdeck/shared/library';
import type { LibraryPresenceEvent } from '@crewdeck/shared/realtime';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { SessionResolver } from '../auth/session-resolver.ts';
import { CollabGateway } from '../collab/collab.gateway.ts';
import { LocalRelay, type Relay } from '../collab/collab.relay.ts';
import { CollabRegistry, defaultTimings, type CollabTimings } from '../collab/collab.registry.ts';
import { CollabRepository } from '../collab/collab.repository.ts';
import { VersionWriter } from '../collab/version-writer.ts';
import { VersionsService } from '../collab/versions.service.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { GroupsRepository } from '../groups/groups.repository.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { DocumentsService, type ContentCleaner, type EditingDirectory } from './documents.service.ts';
import { FilesService } from './files.service.ts';
import { allowedUploadTypes } from './file-types.ts';
import { LibraryTrashRepository } from './library-trash.repository.ts';
import { LibraryTrashService } from './library-trash.service.ts';
import { FileStorage } from './files.storage.ts';
import { FoldersService } from './folders.service.ts';
import { LibraryAccessLoader } from './library.access.ts';
import { LibraryAudience } from './library.feed.ts';
import { LibraryRepository } from './library.repository.ts';
import { LibrarySupport } from './library.support.ts';

export interface LibraryOptions {
  /** Cross-instance relay (Redis); one process when absent. */
  relay?: Relay;
  /** Largest upload in megabytes (default `LIBRARY_MAX_UPLOAD_MB` or 25). */
  maxUploadMb?: number;
  /** Co-editing timers (tests shorten them). */
  timings?: Partial<CollabTimings>;
}

export interface LibraryDeps {
  access: AccessControl;
  audit: AuditWriter;
  /** The workspace's one feed publisher: documents created, shared, versions saved and restored. */
  publisher: FeedPublisher;
  events: EventBus;
  users: UsersRepository;
  /** The one people lookup (names on documents, versions and "who is editing"). */
  people: People;
  groups: GroupsRepository;
  counters: CountersRepository;
}

export interface GatewayOptions {
  resolver: SessionResolver;
  trustedOrigins: ReadonlySet<string>;
  isSecure: (req: IncomingMessage) => boolean;
}

function uploadLimitMb(option: number | undefined): number {
  const fromEnv = Number(process.env.LIBRARY_MAX_UPLOAD_MB);
  if (option !== undefined) return option;
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : limits.libraryUploadMbDefault;
}

/**
 * How often deleted documents and folders past their `trashDays` are purged for good
 * (`LIBRARY_TRASH_PURGE_MS`, default hourly; tests shorten it).
 */
function trashPurgeMs(): number {
  const fromEnv = Number(process.env.LIBRARY_TRASH_PURGE_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 3_600_000;
}

/** Wires the library (folders, documents, files) and co-editing (Yjs sessions, versions). */
export function createLibrary(deps: LibraryDeps, options: LibraryOptions = {}) {
  const repo = new LibraryRepository();
  const collabRepo = new CollabRepository();
  const storage = new FileStorage();
  const relay = options.relay ?? new LocalRelay();
  const loader = new LibraryAccessLoader(repo);
  const support = new LibrarySupport({ access: deps.access, people: deps.people, groups: deps.groups });
  const audience = new LibraryAudience({ access: deps.access, users: deps.users, loader });
  const writer = new VersionWriter({ repo: collabRepo, relay, publisher: deps.publisher, audience });
  const registry = new CollabRegistry({
    store: collabRepo,
    relay,
    library: repo,
    versions: writer,
    timings: { ...defaultTimings, ...options.timings },
  });
  const editing: EditingDirectory = {
    async editing(ids) {
      const byDoc = await relay.presence(ids);
      const people = await deps.people.refs([...byDoc.values()].flat());
      return new Map(
        [...byDoc].map(([id, users]): [string, PersonRef[]] => [id, users.flatMap((u) => people.get(u) ?? [])]),
      );
    },
  };
  const cleaner: ContentCleaner = {
    async removeContent(doc) {
      await registry.discard(String(doc._id));
      await collabRepo.removeDocument(String(doc._id));
      if (doc.file) await storage.delete(doc.file.fileId);
    },
  };
  const base = {
    repo,
    loader,
    support,
    access: deps.access,
    audit: deps.audit,
    events: deps.events,
    users: deps.users,
    people: deps.people,
  };
  const documents = new DocumentsService({
    ...base,
    publisher: deps.publisher,
    audience,
    counters: deps.counters,
    editing,
  });
  const folders = new FoldersService(base);
  const trash = new LibraryTrashService({
    trash: new LibraryTrashRepository(),
    loader,
    documents,
    folders,
    access: deps.access,
    publisher: deps.publisher,
    audience,
    events: deps.events,
    people: deps.people,
    cleaner,
  });
  let gateway: CollabGateway | null = null;
  let purger: NodeJS.Timeout | null = null;
  return {
    relay,
    registry,
    documents,
    folders,
    trash,
    files: new FilesService({
      repo,
      documents,
      storage,
      publisher: deps.publisher,
      audience,
      loader,
      counters: deps.counters,
      maxBytes: uploadLimitMb(options.maxUploadMb) * 1024 * 1024,
      allowedTypes: allowedUploadTypes(),
    }),
    versions: new VersionsService({
      repo: collabRepo,
      registry,
      writer,
      documents,
      people: deps.people,
      access: deps.access,
    }),
    /**
     * "Who is editing" a document (every instance) as the `library:presence` event carries it,
     * and who may receive it: the same viewers rule as the document's feed entries.
     */
    async livePresence(documentId: string): Promise<{ event: LibraryPresenceEvent; viewers: string[] }> {
      const [people, viewers] = await Promise.all([editing.editing([documentId]), audience.viewersOf(documentId)]);
      const editors = (people.get(documentId) ?? []).map((p) => ({ userId: p.id, name: p.name }));
      return { event: { documentId, editing: editors }, viewers };
    },
    /** Serves `/yjs/<documentId>` on the app's HTTP server (after Socket.IO is attached). */
    attach(server: HttpServer, gatewayOptions: GatewayOptions): void {
      gateway = new CollabGateway({
        ...gatewayOptions,
        loader,
        access: deps.access,
        audit: deps.audit,
        events: deps.events,
        relay,
        registry,
      });
      gateway.attach(server);
      purger = setInterval(
        () => void trash.purge().catch((e: unknown) => console.error('[crewdeck] library trash purge failed', e)),
        trashPurgeMs(),
      );
      purger.unref();
    },
    /** Closes co-editing connections, stores and unloads every document, leaves the relay. */
    async close(): Promise<void> {
      if (purger) clearInterval(purger);
      await gateway?.close();
      await registry.closeAll();
      await relay.close();
    },
  };
}

export type Library = ReturnType<typeof createLibrary>;
