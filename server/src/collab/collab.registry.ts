import * as Y from 'yjs';
import { systemContext } from '../http/context.ts';
import type { LibraryRepository } from '../library/library.repository.ts';
import { CollabDocument, RELAY_ORIGIN } from './collab.document.ts';
import type { Relay } from './collab.relay.ts';
import type { CollabRepository } from './collab.repository.ts';
import { plainText } from './content.ts';
import type { VersionWriter } from './version-writer.ts';

export interface CollabTimings {
  /** Automatic version after this long without edits (default 2 minutes). */
  versionIdleMs: number;
  /** Plain text (search) and "updated at/by" are saved this long after the last edit. */
  textSaveMs: number;
  /** How often loaded documents are checked for compaction. */
  compactIntervalMs: number;
  /** Compact a loaded document once its update log has this many entries. */
  compactMinUpdates: number;
}

export const defaultTimings: CollabTimings = {
  versionIdleMs: 120_000,
  textSaveMs: 2000,
  compactIntervalMs: 60_000,
  compactMinUpdates: 200,
};

interface Entry {
  doc: CollabDocument;
  refs: number;
  ready: Promise<void>;
  closing: Promise<void> | null;
  dirty: boolean;
  textDirty: boolean;
  contributors: Set<string>;
  lastEditor: string | null;
  idleTimer: NodeJS.Timeout | null;
  textTimer: NodeJS.Timeout | null;
  /** The document was deleted: unloading stores nothing more. */
  discarded: boolean;
}

export interface RegistryDeps {
  store: CollabRepository;
  relay: Relay;
  library: LibraryRepository;
  versions: VersionWriter;
  timings: CollabTimings;
}

const log = (what: string) => (error: unknown) => console.error(`[crewdeck] co-editing: ${what}`, error);

/**
 * Loaded documents. A document is loaded by its first user (`acquire`) and unloaded after
 * the last one leaves (`release`): updates flushed, text saved, an automatic version taken if
 * it changed, the update log compacted. Also runs the idle timers behind automatic versions.
 */
export class CollabRegistry {
  readonly #d: RegistryDeps;
  readonly #docs = new Map<string, Entry>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(deps: RegistryDeps) {
    this.#d = deps;
    this.#sweeper = setInterval(() => void this.#sweep(), deps.timings.compactIntervalMs);
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#docs.size;
  }

  loaded(): CollabDocument[] {
    return [...this.#docs.values()].map((e) => e.doc);
  }

  async acquire(docId: string): Promise<CollabDocument> {
    let entry = this.#docs.get(docId);
    while (entry?.closing) {
      await entry.closing;
      entry = this.#docs.get(docId);
    }
    if (!entry) entry = this.#create(docId);
    entry.refs += 1;
    try {
      await entry.ready;
    } catch (error) {
      this.release(docId);
      throw error;
    }
    return entry.doc;
  }

  release(docId: string): void {
    const entry = this.#docs.get(docId);
    if (!entry || entry.closing) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    entry.closing = this.#unload(entry)
      .catch(log(`unloading ${docId}`))
      .finally(() => {
        if (this.#docs.get(docId) === entry) this.#docs.delete(docId);
      });
  }

  /** Runs `task` on the loaded document, loading it for the time being if nobody has it open. */
  async withDocument<T>(docId: string, task: (doc: CollabDocument) => Promise<T>): Promise<T> {
    const doc = await this.acquire(docId);
    try {
      return await task(doc);
    } finally {
      this.release(docId);
    }
  }

  /** Who edited since the last version (and forget them: a version is being saved now). */
  takeContributors(docId: string): string[] {
    const entry = this.#docs.get(docId);
    if (!entry) return [];
    const list = [...entry.contributors];
    entry.contributors.clear();
    entry.dirty = false;
    return list;
  }

  /** Merges the stored update log into one snapshot (from the database, never from memory). */
  async compact(docId: string): Promise<boolean> {
    return this.#d.relay.withLock(docId, async () => {
      const state = await this.#d.store.load(docId);
      if (state.updates.length === 0) return false;
      const doc = new Y.Doc();
      if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
      Y.applyUpdate(doc, Y.mergeUpdates(state.updates.map((u) => u.update)));
      const merged = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      const done = await this.#d.store.replaceSnapshot(
        docId,
        state.generation,
        merged,
        state.updates.map((u) => u.id),
      );
      const loaded = this.#docs.get(docId)?.doc;
      if (done && loaded)
        loaded.updatesSinceCompaction = Math.max(0, loaded.updatesSinceCompaction - state.updates.length);
      return done;
    });
  }

  /** After a relay outage: reapply stored state so missed updates reach local peers. */
  resync(): void {
    for (const entry of this.#docs.values()) {
      entry.ready.then(() => entry.doc.reloadFromStore(RELAY_ORIGIN)).catch(log(`resyncing ${entry.doc.id}`));
    }
  }

  /** The document was deleted: unload without saving, then wait until it is gone. */
  async discard(docId: string): Promise<void> {
    const entry = this.#docs.get(docId);
    if (!entry) return;
    entry.discarded = true;
    for (let waited = 0; this.#docs.get(docId) === entry && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    const closing = [...this.#docs.values()].map((entry) => {
      entry.refs = 1;
      this.release(entry.doc.id);
      return entry.closing;
    });
    await Promise.all(closing);
  }

  #create(docId: string): Entry {
    const doc = new CollabDocument(docId, {
      store: this.#d.store,
      relay: this.#d.relay,
      onChange: (_d, users, local) => this.#changed(docId, users, local),
    });
    const entry: Entry = {
      doc,
      refs: 0,
      ready: doc.load(),
      closing: null,
      dirty: false,
      textDirty: false,
      contributors: new Set(),
      lastEditor: null,
      idleTimer: null,
      textTimer: null,
      discarded: false,
    };
    entry.ready.catch(() => {
      if (this.#docs.get(docId) === entry) this.#docs.delete(docId);
    });
    this.#docs.set(docId, entry);
    return entry;
  }

  #changed(docId: string, userIds: Array<string | null>, local: boolean): void {
    const entry = this.#docs.get(docId);
    if (!entry) return;
    entry.dirty = true;
    for (const id of userIds) if (id) entry.contributors.add(id);
    if (local) {
      entry.textDirty = true;
      entry.lastEditor = userIds.findLast((id) => id !== null) ?? entry.lastEditor;
      entry.textTimer ??= setTimeout(
        () => void this.#saveText(entry).catch(log(`saving text of ${docId}`)),
        this.#d.timings.textSaveMs,
      );
    }
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(
      () => void this.#autoVersion(entry).catch(log(`versioning ${docId}`)),
      this.#d.timings.versionIdleMs,
    );
  }

  async #saveText(entry: Entry): Promise<void> {
    entry.textTimer = null;
    if (!entry.textDirty) return;
    entry.textDirty = false;
    await this.#d.library.saveContentInfo(entry.doc.id, {
      plainText: plainText(entry.doc.ydoc),
      updatedBy: entry.lastEditor,
      updatedAt: new Date(),
    });
  }

  async #autoVersion(entry: Entry): Promise<void> {
    entry.idleTimer = null;
    if (!entry.dirty) return;
    entry.dirty = false;
    const contributors = [...entry.contributors];
    entry.contributors.clear();
    await entry.doc.whenPersisted();
    await this.#d.versions.snapshot(entry.doc.id, entry.doc.ydoc, {
      kind: 'auto',
      name: null,
      createdBy: null,
      contributors,
      skipIfUnchanged: true,
      ctx: systemContext,
    });
  }

  async #unload(entry: Entry): Promise<void> {
    if (entry.textTimer) clearTimeout(entry.textTimer);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    await entry.ready.catch(() => undefined);
    await entry.doc.whenPersisted();
    if (entry.discarded) return entry.doc.destroy();
    await this.#saveText(entry);
    // Everyone left: the inactivity that an automatic version waits for has begun for good.
    await this.#autoVersion(entry);
    if (entry.doc.updatesSinceCompaction > 0) await this.compact(entry.doc.id);
    await entry.doc.destroy();
  }

  async #sweep(): Promise<void> {
    for (const entry of this.#docs.values()) {
      if (entry.closing || entry.doc.updatesSinceCompaction < this.#d.timings.compactMinUpdates) continue;
      await this.compact(entry.doc.id).catch(log(`compacting ${entry.doc.id}`));
    }
  }
}
