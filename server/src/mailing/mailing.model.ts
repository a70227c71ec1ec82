import mongoose from 'mongoose';
import type { SegmentFilters } from '@crewdeck/shared/mailing';

type Id = mongoose.Types.ObjectId;

/** A saved filter over clients and contacts; who sees its people is decided when it is used. */
export interface SegmentDoc {
  _id: Id;
  name: string;
  filters: SegmentFilters;
  createdBy: Id | null;
  createdAt: Date;
  updatedAt: Date;
}

const segmentSchema = new mongoose.Schema<SegmentDoc>(
  {
    name: { type: String, required: true },
    filters: { type: mongoose.Schema.Types.Mixed, default: {} },
    createdBy: { type: mongoose.Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'crm_segments', minimize: false },
);
segmentSchema.index({ name: 1 });

export const SegmentModel = mongoose.model<SegmentDoc>('Segment', segmentSchema);

export interface CampaignDoc {
  _id: Id;
  segmentId: Id;
  segmentName: string;
  channel: 'email' | 'sms';
  subject: string;
  text: string;
  html: boolean;
  status: 'sending' | 'done' | 'failed';
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  error: string | null;
  createdBy: Id | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const campaignSchema = new mongoose.Schema<CampaignDoc>(
  {
    segmentId: { type: mongoose.Schema.Types.ObjectId, required: true },
    segmentName: String,
    channel: String,
    subject: String,
    text: String,
    html: Boolean,
    status: { type: String, default: 'sending' },
    total: { type: Number, default: 0 },
    sent: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
    error: { type: String, default: null },
    createdBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    finishedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'crm_campaigns' },
);
campaignSchema.index({ createdAt: -1 });
campaignSchema.index({ status: 1 });

export const CampaignModel = mongoose.model<CampaignDoc>('Campaign', campaignSchema);

/** Whom a campaign goes to, fixed when it starts; consent is checked again right before each batch. */
export interface RecipientDoc {
  _id: Id;
  campaignId: Id;
  personKind: 'client' | 'contact';
  personId: Id;
  name: string;
  address: string;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  error: string | null;
}

const recipientSchema = new mongoose.Schema<RecipientDoc>(
  {
    campaignId: { type: mongoose.Schema.Types.ObjectId, required: true },
    personKind: String,
    personId: { type: mongoose.Schema.Types.ObjectId, required: true },
    name: String,
    address: String,
    status: { type: String, default: 'pending' },
    error: { type: String, default: null },
  },
  { versionKey: false, collection: 'crm_campaign_recipients' },
);
// One message per address per campaign, however many records share it.
recipientSchema.index({ campaignId: 1, address: 1 }, { unique: true });
recipientSchema.index({ campaignId: 1, status: 1 });

export const RecipientModel = mongoose.model<RecipientDoc>('CampaignRecipient', recipientSchema);
