import mongoose from 'mongoose';
import * as Y from 'yjs';
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
}

const oid = (id: string) => new mongoose.Types.ObjectId(id);

/**
 * Saves versions. Under the document's lock (a Redis lock across instances), so two instances
 * idle on the same document save one version, numbered without gaps or duplicates.
 */
export class VersionWriter {
  readonly #repo: CollabRepository;
  readonly #relay: Relay;

  constructor(deps: { repo: CollabRepository; relay: Relay }) {
    this.#repo = deps.repo;
    this.#relay = deps.relay;
  }

  async snapshot(docId: string, doc: Y.Doc, options: SnapshotOptions): Promise<VersionDoc | null> {
    return this.#relay.withLock(docId, async () => {
      const last = await this.#repo.lastVersion(docId);
      const signature = Y.encodeSnapshot(Y.snapshot(doc));
      if (options.skipIfUnchanged && last && Buffer.compare(Buffer.from(toBytes(last.signature)), Buffer.from(signature)) === 0) return null;
      if (options.skipIfUnchanged && !last && doc.store.clients.size === 0) return null;
      const state = Y.encodeStateAsUpdate(doc);
      return this.#repo.insertVersion(
        {
          docId: oid(docId),
          number: (last?.number ?? 0) + 1,
          name: options.name,
          kind: options.kind,
          createdBy: options.createdBy ? oid(options.createdBy) : null,
          contributors: [...new Set(options.contributors)].map(oid),
          size: state.length,
          signature: Buffer.from(signature),
          plainText: plainText(doc),
          createdAt: new Date(),
        },
        state,
      );
    });
  }
}
