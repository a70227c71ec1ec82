import type * as Y from 'yjs';
import type { Version } from '@crewdeck/shared/library';
import type { Abilities } from '@crewdeck/shared/permissions';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { DocumentsService } from '../library/documents.service.ts';
import type { VersionDoc } from './collab.model.ts';
import type { CollabRegistry } from './collab.registry.ts';
import type { CollabRepository } from './collab.repository.ts';
import { docFrom, plainText, replaceContent } from './content.ts';
import { presentVersion, versionPeople } from './versions.presenter.ts';
import type { VersionWriter } from './version-writer.ts';

export interface VersionsServiceDeps {
  repo: CollabRepository;
  registry: CollabRegistry;
  writer: VersionWriter;
  documents: DocumentsService;
  people: People;
  access: AccessControl;
}

/** Versions of rich-text documents: list, view read-only, name, restore. */
export class VersionsService {
  readonly #d: VersionsServiceDeps;

  constructor(deps: VersionsServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext, docId: string): Promise<{ items: Version[]; abilities: Abilities }> {
    const { resource } = await this.#authorize(ctx, docId, 'doc.view');
    const versions = await this.#d.repo.listVersions(docId);
    return {
      items: await this.#present(versions),
      abilities: this.#d.access.abilities(ctx.actor, ['doc.edit'], resource),
    };
  }

  async get(
    ctx: AuthedContext,
    docId: string,
    versionId: string,
  ): Promise<{ version: Version; text: string; state: string }> {
    await this.#authorize(ctx, docId, 'doc.view');
    const version = await this.#find(docId, versionId);
    const state = await this.#d.repo.versionState(version);
    const [presented] = await this.#present([version]);
    const doc = docFrom(state);
    const text = plainText(doc);
    doc.destroy();
    return { version: presented, text, state: Buffer.from(state).toString('base64') };
  }

  async create(ctx: AuthedContext, docId: string, name: string): Promise<{ version: Version }> {
    const { doc: record } = await this.#authorize(ctx, docId, 'doc.edit');
    const version = await this.#d.registry.withDocument(docId, async (doc) => {
      await doc.whenPersisted();
      const contributors = this.#d.registry.takeContributors(docId);
      return this.#d.writer.snapshot(docId, doc.ydoc, {
        kind: 'named',
        name,
        createdBy: ctx.actor.id,
        contributors,
        skipIfUnchanged: false,
        ctx,
        audit: (v) => ({
          action: 'document.versionCreate',
          permission: 'doc.edit',
          code: record.code,
          note: `version ${v.number} "${name}"`,
        }),
      });
    });
    if (!version) throw new ConflictError('The version was not saved');
    const [presented] = await this.#present([version]);
    return { version: presented };
  }

  /**
   * Applies the version's content as a new change on the live document: everyone connected
   * receives it as an ordinary update and converges without reloading. First, edits made since
   * the last version are saved as an automatic version, so a restore never drops them from
   * history. The result is saved as a `restore` version, so the restore itself can be undone by
   * restoring the one before.
   */
  async restore(ctx: AuthedContext, docId: string, versionId: string): Promise<{ version: Version }> {
    const { doc: record } = await this.#authorize(ctx, docId, 'doc.edit');
    const source = await this.#find(docId, versionId);
    const sourceDoc = docFrom(await this.#d.repo.versionState(source));
    try {
      const saved = await this.#d.registry.withDocument(docId, async (doc) => {
        await doc.whenPersisted();
        await this.#saveCurrent(ctx, docId, doc.ydoc);
        doc.change(ctx.actor.id, (target) => replaceContent(target, sourceDoc));
        await doc.whenPersisted();
        const contributors = [...this.#d.registry.takeContributors(docId), ctx.actor.id];
        return this.#d.writer.snapshot(docId, doc.ydoc, {
          kind: 'restore',
          name: `Restored version ${source.number}`,
          createdBy: ctx.actor.id,
          contributors,
          skipIfUnchanged: false,
          ctx,
          audit: (v) => ({
            action: 'document.restore',
            permission: 'doc.edit',
            code: record.code,
            note: `restored version ${source.number} as version ${v.number}`,
          }),
          feedData: { restoredFrom: source.number },
        });
      });
      if (!saved) throw new ConflictError('The restore was not saved');
      const [presented] = await this.#present([saved]);
      return { version: presented };
    } finally {
      sourceDoc.destroy();
    }
  }

  /** The pre-restore content as an automatic version, unless it equals the last version. */
  async #saveCurrent(ctx: AuthedContext, docId: string, ydoc: Y.Doc): Promise<void> {
    const contributors = this.#d.registry.takeContributors(docId);
    await this.#d.writer.snapshot(docId, ydoc, {
      kind: 'auto',
      name: null,
      createdBy: null,
      contributors,
      skipIfUnchanged: true,
      ctx,
      feedData: { beforeRestore: true },
    });
  }

  async #authorize(ctx: AuthedContext, docId: string, action: 'doc.view' | 'doc.edit') {
    const found = await this.#d.documents.authorizeDocument(ctx, docId, action);
    if (found.doc.kind !== 'rich-text') throw new NotFoundError('Versions');
    return found;
  }

  async #find(docId: string, versionId: string): Promise<VersionDoc> {
    const version = await this.#d.repo.findVersion(docId, versionId);
    if (!version) throw new NotFoundError('Version');
    return version;
  }

  async #present(versions: VersionDoc[]): Promise<Version[]> {
    const people = await this.#d.people.refs(versionPeople(versions));
    return versions.map((v) => presentVersion(v, people));
  }
}
