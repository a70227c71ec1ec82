import mongoose from 'mongoose';
import { absenceKinds, absenceStatuses, eventSources, type AbsenceKind } from '@crewdeck/shared/calendar';

type Id = mongoose.Types.ObjectId;
export type AbsenceStatus = (typeof absenceStatuses)[number];

/**
 * An absence: whole days, first to last inclusive, in the person's zone (days, never instants,
 * so a zone change does not shift a vacation by a day). Requested (`pending`), then approved or
 * rejected by a lead; cancelled by the requester or an approver. Absences mirrored from a Google
 * "out of office" event are stored approved with their Google event id.
 */
export interface AbsenceDoc {
  _id: Id;
  userId: Id;
  kind: AbsenceKind;
  startDay: string;
  endDay: string;
  note: string;
  status: AbsenceStatus;
  /** Who asked for it (the person, or a lead booking it for them). */
  requestedBy: Id | null;
  decidedBy: Id | null;
  decidedAt: Date | null;
  source: (typeof eventSources)[number];
  /** For mirrored absences: the Google event; unique per person. */
  googleEventId: string | null;
  /** For mirrored absences: the full-resync pass that last saw it (mark and sweep, as for events). */
  syncMark?: number;
  createdAt: Date;
  updatedAt: Date;
}

const absenceSchema = new mongoose.Schema<AbsenceDoc>(
  {
    userId: { type: mongoose.Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: absenceKinds, required: true },
    startDay: { type: String, required: true },
    endDay: { type: String, required: true },
    note: { type: String, default: '' },
    status: { type: String, enum: absenceStatuses, required: true },
    requestedBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    decidedBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    decidedAt: { type: Date, default: null },
    source: { type: String, enum: eventSources, default: 'crewdeck' },
    googleEventId: { type: String, default: null },
    syncMark: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false, collection: 'absences' },
);
absenceSchema.index({ userId: 1, startDay: 1 });
absenceSchema.index({ status: 1, startDay: 1 });
absenceSchema.index(
  { userId: 1, googleEventId: 1 },
  { unique: true, partialFilterExpression: { googleEventId: { $type: 'string' } } },
);

export const AbsenceModel = mongoose.model<AbsenceDoc>('Absence', absenceSchema);
