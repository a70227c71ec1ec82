import * as Y from 'yjs';
import type { LibraryFeedType } from '@crewdeck/shared/feed';
import type { AuditDraft } from '../audit/audit.writer.ts';
import { oid, oids } from '../db/ids.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { RequestContext } from '../http/context.ts';
import type { LibraryAudience } from '../library/library.feed.ts';
import type { VersionDoc } from './collab.model.ts';
import type { Relay } from './collab.relay.ts';
import { toBytes, type CollabRepository } from './collab.repository.ts';
import { plainText } from './content.ts';

export interface SnapshotOptions {
  kind: VersionDoc['kind'];
  name: string | null;
  createdBy: string | null;
  contributors: string[];
  /** Automatic versions are skipped when nothing changed since the last version. */
  skipIfUnchanged: boolean;
  /** Who saves it, for the journal and the feed (`systemContext` for the idle timer). */
  ctx: RequestContext;
  /** The version's journal entry (automatic versions have none). */
  audit?: (version: VersionDoc) => AuditDraft;
  /** Extra details for the feed entry (e.g. which version a restore came from). */
  feedData?: Record<string, unknown>;
}

/** A restore is announced as such; every other version (named or automatic) as "version saved". */
const feedTypeOf = (kind: VersionDoc['kind']): LibraryFeedType =>
  kind === 'restore' ? 'document.restored' : 'document.versionSaved';

/**
 * Saves versions. Under the document's lock (a Redis lock across instances), so two instances
 * idle on the same document save one version, numbered without gaps or duplicates. The version,
 * its journal entry and its feed entry are stored in one transaction by the one feed publisher:
 * versions are the only edits the feed hears of (never a keystroke).
 */
export class VersionWriter {
  readonly #repo: CollabRepository;
  readonly #relay: Relay;
  readonly #publisher: FeedPublisher;
  readonly #audience: LibraryAudience;

  constructor(deps: { repo: CollabRepository; relay: Relay; publisher: FeedPublisher; audience: LibraryAudience }) {
    this.#repo = deps.repo;
    this.#relay = deps.relay;
    this.#publisher = deps.publisher;
    this.#audience = deps.audience;
  }

  async snapshot(docId: string, doc: Y.Doc, options: SnapshotOptions): Promise<VersionDoc | null> {
    return this.#relay.withLock(docId, async () => {
      const last = await this.#repo.lastVersion(docId);
      const signature = Y.encodeSnapshot(Y.snapshot(doc));
      if (
        options.skipIfUnchanged &&
        last &&
        Buffer.compare(Buffer.from(toBytes(last.signature)), Buffer.from(signature)) === 0
      )
        return null;
      if (options.skipIfUnchanged && !last && doc.store.clients.size === 0) return null;
      const state = Y.encodeStateAsUpdate(doc);
      const data = {
        docId: oid(docId),
        number: (last?.number ?? 0) + 1,
        name: options.name,
        kind: options.kind,
        createdBy: options.createdBy ? oid(options.createdBy) : null,
        contributors: oids([...new Set(options.contributors)]),
        size: state.length,
        signature: Buffer.from(signature),
        plainText: plainText(doc),
        createdAt: new Date(),
      };
      return this.#publisher.publish(options.ctx, async (session) => {
        const version = await this.#repo.insertVersion(data, state, session);
        const entry = await this.#audience.draftFor(feedTypeOf(version.kind), docId, {
          version: version.number,
          name: version.name,
          kind: version.kind,
          ...options.feedData,
        });
        return { result: version, audit: options.audit?.(version) ?? null, feed: entry ? [entry] : [] };
      });
    });
  }
}
