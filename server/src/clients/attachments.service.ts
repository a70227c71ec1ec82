import mongoose from 'mongoose';
import type { ClientAttachments } from '@crewdeck/shared/clients';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { AppError, ValidationError } from '../http/errors.ts';
import { ClientModel, type ClientDoc } from './clients.model.ts';
import type { ClientsService } from './clients.service.ts';

type Kind = 'task' | 'document';

/** Reads a task or document as the caller (throws 403/404 when they may not open it). */
export interface AttachmentSources {
  task(
    ctx: AuthedContext,
    id: string,
  ): Promise<{ id: string; code: string; title: string; status: string; projectId: string; dueDate: string | null }>;
  document(ctx: AuthedContext, id: string): Promise<{ id: string; code: string; title: string }>;
  /** Follow-up tasks of the client's logged interactions. */
  interactionTasks(clientId: string): Promise<string[]>;
}

const oid = (id: string) => new mongoose.Types.ObjectId(id);

/**
 * Tasks and library documents linked to a client. Each is shown only to those who may open it
 * (asked of the tasks and library services as the caller), so linking never widens access;
 * follow-up tasks created from logged interactions appear without being linked by hand.
 */
export class AttachmentsService {
  readonly #d: { clients: ClientsService; publisher: FeedPublisher; sources: AttachmentSources };

  constructor(deps: { clients: ClientsService; publisher: FeedPublisher; sources: AttachmentSources }) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext, clientId: string): Promise<ClientAttachments> {
    const client = await this.#d.clients.readable(ctx, clientId);
    return this.#resolve(ctx, client);
  }

  async attach(ctx: AuthedContext, clientId: string, kind: Kind, refId: string): Promise<ClientAttachments> {
    const client = await this.#d.clients.writable(ctx, clientId);
    // The caller must be able to open what they link: 404/403 from its own service otherwise.
    const target =
      kind === 'task' ? await this.#d.sources.task(ctx, refId) : await this.#d.sources.document(ctx, refId);
    if (client.attachments.some((a) => a.kind === kind && String(a.refId) === refId)) return this.#resolve(ctx, client);
    if (client.attachments.length >= 200) throw new ValidationError({ id: 'At most 200 links per client' });
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      const next = await ClientModel.findByIdAndUpdate(
        clientId,
        { $push: { attachments: { kind, refId: oid(refId), addedBy: oid(ctx.actor.id), addedAt: new Date() } } },
        { returnDocument: 'after', session },
      ).lean<ClientDoc>();
      return {
        result: next ?? client,
        audit: { action: 'client.update', code: client.code, changes: [{ field: kind, from: null, to: target.code }] },
        feed: [],
      };
    });
    return this.#resolve(ctx, updated);
  }

  async detach(ctx: AuthedContext, clientId: string, kind: Kind, refId: string): Promise<ClientAttachments> {
    const client = await this.#d.clients.writable(ctx, clientId);
    if (!client.attachments.some((a) => a.kind === kind && String(a.refId) === refId))
      return this.#resolve(ctx, client);
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      const next = await ClientModel.findByIdAndUpdate(
        clientId,
        { $pull: { attachments: { kind, refId: oid(refId) } } },
        { returnDocument: 'after', session },
      ).lean<ClientDoc>();
      return {
        result: next ?? client,
        audit: { action: 'client.update', code: client.code, changes: [{ field: kind, from: refId, to: null }] },
        feed: [],
      };
    });
    return this.#resolve(ctx, updated);
  }

  async #resolve(ctx: AuthedContext, client: ClientDoc): Promise<ClientAttachments> {
    const result: ClientAttachments = { tasks: [], documents: [], hidden: 0 };
    const linkedTasks = client.attachments.filter((a) => a.kind === 'task').map((a) => String(a.refId));
    const followUps = (await this.#d.sources.interactionTasks(String(client._id))).filter(
      (id) => !linkedTasks.includes(id),
    );
    const visible = async <T>(read: () => Promise<T>): Promise<T | null> => {
      try {
        return await read();
      } catch (error) {
        if (error instanceof AppError && (error.status === 403 || error.status === 404)) return null;
        throw error;
      }
    };
    for (const [id, via] of [
      ...linkedTasks.map((id) => [id, 'link'] as const),
      ...followUps.map((id) => [id, 'interaction'] as const),
    ]) {
      const task = await visible(() => this.#d.sources.task(ctx, id));
      if (task) result.tasks.push({ ...task, via });
      else result.hidden += 1;
    }
    for (const a of client.attachments.filter((x) => x.kind === 'document')) {
      const doc = await visible(() => this.#d.sources.document(ctx, String(a.refId)));
      if (doc) result.documents.push(doc);
      else result.hidden += 1;
    }
    return result;
  }
}
