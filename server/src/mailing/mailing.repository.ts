import mongoose, { type ClientSession } from 'mongoose';
import type { SegmentFilters } from '@crewdeck/shared/mailing';
import { isObjectId } from '../clients/clients.repository.ts';
import {
  CampaignModel,
  RecipientModel,
  SegmentModel,
  type CampaignDoc,
  type RecipientDoc,
  type SegmentDoc,
} from './mailing.model.ts';

const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** The only code touching segments, campaigns and their recipients. */
export class MailingRepository {
  async segments(): Promise<SegmentDoc[]> {
    return SegmentModel.find().sort({ name: 1 }).limit(500).lean<SegmentDoc[]>();
  }

  async segment(id: string): Promise<SegmentDoc | null> {
    return isObjectId(id) ? SegmentModel.findById(id).lean<SegmentDoc>() : null;
  }

  async createSegment(data: { name: string; filters: SegmentFilters; createdBy: string }, session: ClientSession) {
    const [doc] = await SegmentModel.create([{ ...data, createdBy: oid(data.createdBy) }], { session });
    return doc.toObject<SegmentDoc>();
  }

  async updateSegment(id: string, set: { name: string; filters: SegmentFilters }, session: ClientSession) {
    return SegmentModel.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', session }).lean<SegmentDoc>();
  }

  async deleteSegment(id: string, session: ClientSession): Promise<void> {
    await SegmentModel.deleteOne({ _id: oid(id) }, { session });
  }

  async campaigns(): Promise<CampaignDoc[]> {
    return CampaignModel.find().sort({ createdAt: -1 }).limit(100).lean<CampaignDoc[]>();
  }

  async campaign(id: string): Promise<CampaignDoc | null> {
    return isObjectId(id) ? CampaignModel.findById(id).lean<CampaignDoc>() : null;
  }

  async createCampaign(
    data: Omit<CampaignDoc, '_id' | 'createdAt' | 'updatedAt'>,
    recipients: Omit<RecipientDoc, '_id' | 'campaignId' | 'status' | 'error'>[],
    session: ClientSession,
  ): Promise<CampaignDoc> {
    const [doc] = await CampaignModel.create([data], { session });
    if (recipients.length)
      await RecipientModel.insertMany(
        recipients.map((r) => ({ ...r, campaignId: doc._id, status: 'pending', error: null })),
        { session },
      );
    return doc.toObject<CampaignDoc>();
  }

  async pending(campaignId: string, limit: number): Promise<RecipientDoc[]> {
    return RecipientModel.find({ campaignId: oid(campaignId), status: 'pending' })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<RecipientDoc[]>();
  }

  /** Records a batch's outcomes and adds them to the campaign's counters. */
  async settle(
    campaignId: string,
    outcomes: { id: mongoose.Types.ObjectId; status: RecipientDoc['status']; error: string | null }[],
  ) {
    for (const o of outcomes)
      await RecipientModel.updateOne({ _id: o.id }, { $set: { status: o.status, error: o.error } });
    const inc = { sent: 0, failed: 0, skipped: 0 };
    for (const o of outcomes) if (o.status !== 'pending') inc[o.status] += 1;
    await CampaignModel.updateOne({ _id: oid(campaignId) }, { $inc: inc });
  }

  async finish(campaignId: string, status: 'done' | 'failed', error: string | null): Promise<void> {
    await CampaignModel.updateOne({ _id: oid(campaignId) }, { $set: { status, error, finishedAt: new Date() } });
  }

  /** Campaigns interrupted by a restart (resumed at start). */
  async sending(): Promise<CampaignDoc[]> {
    return CampaignModel.find({ status: 'sending' }).lean<CampaignDoc[]>();
  }
}
