import type { UserRef } from '@crewdeck/shared/clients';
import type { Campaign, Segment } from '@crewdeck/shared/mailing';
import type { CampaignDoc, SegmentDoc } from './mailing.model.ts';

const refOf = (id: unknown, people: ReadonlyMap<string, UserRef>) => (id ? (people.get(String(id)) ?? null) : null);

export function presentSegment(doc: SegmentDoc, people: ReadonlyMap<string, UserRef>): Segment {
  return {
    id: String(doc._id),
    name: doc.name,
    filters: doc.filters,
    createdBy: refOf(doc.createdBy, people),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export function presentCampaign(doc: CampaignDoc, people: ReadonlyMap<string, UserRef>): Campaign {
  return {
    id: String(doc._id),
    segmentId: String(doc.segmentId),
    segmentName: doc.segmentName,
    channel: doc.channel,
    subject: doc.subject,
    status: doc.status,
    total: doc.total,
    sent: doc.sent,
    failed: doc.failed,
    skipped: doc.skipped,
    error: doc.error,
    createdBy: refOf(doc.createdBy, people),
    createdAt: doc.createdAt.toISOString(),
    finishedAt: doc.finishedAt ? doc.finishedAt.toISOString() : null,
  };
}
