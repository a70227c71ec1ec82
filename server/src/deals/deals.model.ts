import mongoose from 'mongoose';
import { dealOutcomes, type DealOutcome } from '@crewdeck/shared/deals';
import type { ClientAccess } from '../clients/clients.model.ts';

type Id = mongoose.Types.ObjectId;

/**
 * A deal in the pipeline. `access` is a copy of its client's access fields (kept fresh by the
 * `deals` client link) so that lists are filtered by an index, not by loading clients.
 * `position` orders deals within a stage: fractional, so a drop between two rewrites only one.
 */
export interface DealDoc {
  _id: Id;
  title: string;
  clientId: Id;
  contactId: Id | null;
  managerId: Id | null;
  access: ClientAccess;
  /** Integer minor units of `currency`. */
  amount: number;
  currency: string;
  /** `YYYY-MM-DD`, or null. */
  expectedCloseDate: string | null;
  probability: number;
  stage: string;
  outcome: DealOutcome;
  closedAt: Date | null;
  closedReason: string;
  position: number;
  version: number;
  /** Set while the deal's client is merged away: the client it came from (undo moves it back). */
  movedFrom: Id | null;
  createdBy: Id | null;
  createdAt: Date;
  updatedAt: Date;
}

const accessSchema = new mongoose.Schema<ClientAccess>(
  {
    managerId: { type: mongoose.Schema.Types.ObjectId, default: null },
    groupIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
  },
  { _id: false },
);

const dealSchema = new mongoose.Schema<DealDoc>(
  {
    title: { type: String, required: true },
    clientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    contactId: { type: mongoose.Schema.Types.ObjectId, default: null },
    managerId: { type: mongoose.Schema.Types.ObjectId, default: null },
    access: { type: accessSchema, required: true },
    amount: {
      type: Number,
      required: true,
      validate: { validator: Number.isSafeInteger, message: 'amount must be an integer' },
    },
    currency: { type: String, required: true },
    expectedCloseDate: { type: String, default: null },
    probability: { type: Number, default: 0 },
    stage: { type: String, required: true },
    outcome: { type: String, enum: dealOutcomes, default: 'open' },
    closedAt: { type: Date, default: null },
    closedReason: { type: String, default: '' },
    position: { type: Number, required: true },
    version: { type: Number, default: 0 },
    movedFrom: { type: mongoose.Schema.Types.ObjectId, default: null },
    createdBy: { type: mongoose.Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'crm_deals', minimize: false },
);
// The board: visible deals by stage and position; the client page; the won-revenue KPIs.
dealSchema.index({ 'access.managerId': 1, stage: 1, position: 1 });
dealSchema.index({ 'access.groupIds': 1 });
dealSchema.index({ stage: 1, position: 1 });
dealSchema.index({ clientId: 1, stage: 1 });
dealSchema.index({ outcome: 1, closedAt: 1, managerId: 1 });

export const DealModel = mongoose.model<DealDoc>('Deal', dealSchema);
