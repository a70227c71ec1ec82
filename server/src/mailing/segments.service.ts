import { Readable } from 'node:stream';
import type { ConsentChannel } from '@crewdeck/shared/clients';
import type { Segment, SegmentCount, SegmentFilters, SegmentInput } from '@crewdeck/shared/mailing';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError } from '../http/errors.ts';
import type { FilePayload } from '../http/route.ts';
import { sheetFile, type SheetFormat } from '../imports/sheet-writer.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { Audience } from './audience.ts';
import type { SegmentDoc } from './mailing.model.ts';
import { presentSegment } from './mailing.presenter.ts';
import type { MailingRepository } from './mailing.repository.ts';

export interface SegmentsServiceDeps {
  repo: MailingRepository;
  audience: Audience;
  access: AccessControl;
  publisher: FeedPublisher;
  audit: AuditWriter;
  people: People;
}

/** Saved segments (`mailing.manage`): CRUD, the live count and the export of reachable people. */
export class SegmentsService {
  readonly #d: SegmentsServiceDeps;

  constructor(deps: SegmentsServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext): Promise<{ segments: Segment[] }> {
    await this.#d.access.authorize(ctx, 'mailing.manage');
    return { segments: await this.#present(await this.#d.repo.segments()) };
  }

  async count(ctx: AuthedContext, filters: SegmentFilters): Promise<SegmentCount> {
    await this.#d.access.authorize(ctx, 'mailing.manage');
    return this.#d.audience.count(ctx, filters);
  }

  async create(ctx: AuthedContext, input: SegmentInput): Promise<{ segment: Segment }> {
    await this.#d.access.authorize(ctx, 'mailing.manage');
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const segment = await this.#d.repo.createSegment({ ...input, createdBy: ctx.actor.id }, session);
      return { result: segment, audit: this.#saved(segment, null), feed: [] };
    });
    return { segment: (await this.#present([doc]))[0] };
  }

  async update(ctx: AuthedContext, id: string, input: SegmentInput): Promise<{ segment: Segment }> {
    const before = await this.segment(ctx, id);
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const segment = await this.#d.repo.updateSegment(id, input, session);
      if (!segment) throw new NotFoundError('Segment');
      return { result: segment, audit: this.#saved(segment, before), feed: [] };
    });
    return { segment: (await this.#present([doc]))[0] };
  }

  async remove(ctx: AuthedContext, id: string): Promise<{ ok: true }> {
    const before = await this.segment(ctx, id);
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.repo.deleteSegment(id, session);
      return {
        result: undefined,
        audit: {
          action: 'segment.delete',
          code: null,
          changes: [{ field: 'segment', from: before.name, to: null }],
        },
        feed: [],
      };
    });
    return { ok: true };
  }

  async segment(ctx: AuthedContext, id: string): Promise<SegmentDoc> {
    await this.#d.access.authorize(ctx, 'mailing.manage');
    const doc = await this.#d.repo.segment(id);
    if (!doc) throw new NotFoundError('Segment');
    return doc;
  }

  /** The reachable people (address and consent) on a channel, as CSV or XLSX; journaled as an export. */
  async exportReachable(
    ctx: AuthedContext,
    id: string,
    query: { channel: ConsentChannel; format: SheetFormat },
  ): Promise<FilePayload> {
    const segment = await this.segment(ctx, id);
    await this.#d.access.authorize(ctx, 'client.export');
    const people = await this.#d.audience.reachable(ctx, segment.filters, query.channel);
    const columns = [
      'Type',
      'Name',
      'Client',
      query.channel === 'email' ? 'Email' : 'Phone',
      'Consent given',
      'Consent source',
    ];
    const rows = people.map((p) => [
      p.kind,
      p.name,
      p.clientName,
      query.channel === 'email' ? p.email : p.phone,
      p.consentAt ? p.consentAt.toISOString() : '',
      p.consentSource,
    ]);
    const file = await sheetFile(query.format, `segment-${query.channel}`, columns, rows);
    await this.#d.audit.record(ctx, {
      action: 'client.export',
      code: null,
      note: `Segment “${segment.name}”: ${rows.length} reachable, ${query.channel}, ${query.format.toUpperCase()}`,
    });
    return { ...file, size: file.buffer.length, stream: Readable.from([file.buffer]) };
  }

  #saved(segment: SegmentDoc, before: SegmentDoc | null) {
    return {
      action: 'segment.save' as const,
      code: null,
      note: `Segment “${segment.name}”`,
      changes: [
        { field: 'filters', from: before ? JSON.stringify(before.filters) : null, to: JSON.stringify(segment.filters) },
      ],
    };
  }

  async #present(docs: SegmentDoc[]): Promise<Segment[]> {
    const people = await this.#d.people.refs(docs.flatMap((d) => (d.createdBy ? [String(d.createdBy)] : [])));
    return docs.map((d) => presentSegment(d, people));
  }
}
