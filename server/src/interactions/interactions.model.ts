import mongoose from 'mongoose';
import {
  interactionDirections,
  interactionKinds,
  type InteractionDirection,
  type InteractionKind,
} from '@crewdeck/shared/interactions';
import type { ClientAccess } from '../clients/clients.model.ts';

type Id = mongoose.Types.ObjectId;

export interface StoredFollowUp {
  at: Date;
  note: string;
  projectId: Id | null;
  taskId: Id | null;
  /** Set by the sweep once the `followUpDue` notification went out. */
  notifiedAt: Date | null;
}

/**
 * One logged interaction. `access` is a copy of its client's access fields (ClientLink
 * `reaccess` keeps it current), so lists filter by an index instead of loading clients.
 */
export interface InteractionDoc {
  _id: Id;
  kind: InteractionKind;
  clientId: Id;
  access: ClientAccess;
  occurredAt: Date;
  direction: InteractionDirection | null;
  durationMinutes: number | null;
  subject: string;
  notes: string;
  result: string | null;
  managerId: Id;
  authorId: Id;
  contactId: Id | null;
  dealId: Id | null;
  taskId: Id | null;
  followUp: StoredFollowUp | null;
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

const followUpSchema = new mongoose.Schema<StoredFollowUp>(
  {
    at: { type: Date, required: true },
    note: { type: String, default: '' },
    projectId: { type: mongoose.Schema.Types.ObjectId, default: null },
    taskId: { type: mongoose.Schema.Types.ObjectId, default: null },
    notifiedAt: { type: Date, default: null },
  },
  { _id: false },
);

const interactionSchema = new mongoose.Schema<InteractionDoc>(
  {
    kind: { type: String, enum: interactionKinds, required: true },
    clientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    access: { type: accessSchema, required: true },
    occurredAt: { type: Date, required: true },
    direction: { type: String, enum: [...interactionDirections, null], default: null },
    durationMinutes: { type: Number, default: null },
    subject: { type: String, default: '' },
    notes: { type: String, default: '' },
    result: { type: String, default: null },
    managerId: { type: mongoose.Schema.Types.ObjectId, required: true },
    authorId: { type: mongoose.Schema.Types.ObjectId, required: true },
    contactId: { type: mongoose.Schema.Types.ObjectId, default: null },
    dealId: { type: mongoose.Schema.Types.ObjectId, default: null },
    taskId: { type: mongoose.Schema.Types.ObjectId, default: null },
    followUp: { type: followUpSchema, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'crm_interactions' },
);
// The client's timeline, the per-manager reports and the visibility filters, each newest first.
interactionSchema.index({ clientId: 1, occurredAt: -1 });
interactionSchema.index({ managerId: 1, occurredAt: -1 });
interactionSchema.index({ 'access.managerId': 1, occurredAt: -1 });
interactionSchema.index({ 'access.groupIds': 1, occurredAt: -1 });
interactionSchema.index({ occurredAt: -1 });
// The follow-up sweep reads only the pending reminders.
interactionSchema.index({ 'followUp.notifiedAt': 1, 'followUp.at': 1 });

export const InteractionModel = mongoose.model<InteractionDoc>('Interaction', interactionSchema);
