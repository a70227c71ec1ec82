import mongoose from 'mongoose';
import { clientKinds, type ClientKind } from '@crewdeck/shared/clients';

type Id = mongoose.Types.ObjectId;

export interface StoredPhone {
  value: string;
  kind: string;
  /** E.164 when the number parses (with the workspace's default country), else null. */
  e164: string | null;
}
export interface StoredEmail {
  value: string;
  kind: string;
}
export interface StoredAttachment {
  kind: 'task' | 'document';
  refId: Id;
  addedBy: Id | null;
  addedAt: Date;
}
export interface StoredConsent {
  granted: boolean;
  at: Date;
  source: string;
}
export interface StoredConsents {
  email: StoredConsent | null;
  sms: StoredConsent | null;
}

/**
 * Who may see a client, copied onto everything linked to it (deals, interactions) so that a list
 * of those is filtered by an index, not by loading clients: the responsible manager and the
 * manager's groups when they were made responsible.
 */
export interface ClientAccess {
  managerId: Id | null;
  groupIds: Id[];
}

/**
 * A CRM client: a company or a person. `dupKeys` are the normalized phones, emails, name keys
 * and website domain (shared/duplicate-rules), indexed so the duplicate check on every write
 * is an index lookup. A client merged into another stays stored (`mergedInto`) for the undo.
 */
export interface ClientDoc extends ClientAccess {
  _id: Id;
  /** Document code, `CLI-12`: how the journal names the client. */
  code: string;
  kind: ClientKind;
  name: string;
  legalName: string;
  legalForm: string;
  phones: StoredPhone[];
  emails: StoredEmail[];
  website: string;
  address: string;
  tags: string[];
  status: string;
  source: string;
  custom: Record<string, string | number | null>;
  consent: StoredConsents;
  dupKeys: string[];
  /** Tasks and library documents linked to the client. */
  attachments: StoredAttachment[];
  contactCount: number;
  lastInteractionAt: Date | null;
  mergedInto: Id | null;
  createdBy: Id | null;
  createdAt: Date;
  updatedAt: Date;
}

const phoneSchema = new mongoose.Schema<StoredPhone>(
  { value: String, kind: String, e164: { type: String, default: null } },
  { _id: false },
);
const emailSchema = new mongoose.Schema<StoredEmail>({ value: String, kind: String }, { _id: false });
const consentSchema = new mongoose.Schema<StoredConsent>(
  { granted: Boolean, at: Date, source: String },
  { _id: false },
);
const consentsSchema = {
  email: { type: consentSchema, default: null },
  sms: { type: consentSchema, default: null },
};

const clientSchema = new mongoose.Schema<ClientDoc>(
  {
    code: { type: String, required: true, unique: true },
    kind: { type: String, enum: clientKinds, required: true },
    name: { type: String, required: true },
    legalName: { type: String, default: '' },
    legalForm: { type: String, default: '' },
    phones: { type: [phoneSchema], default: [] },
    emails: { type: [emailSchema], default: [] },
    website: { type: String, default: '' },
    address: { type: String, default: '' },
    tags: { type: [String], default: [] },
    status: { type: String, default: '' },
    source: { type: String, default: '' },
    managerId: { type: mongoose.Schema.Types.ObjectId, default: null },
    groupIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
    custom: { type: mongoose.Schema.Types.Mixed, default: {} },
    consent: consentsSchema,
    dupKeys: { type: [String], default: [] },
    attachments: {
      type: [
        new mongoose.Schema<StoredAttachment>(
          {
            kind: String,
            refId: mongoose.Schema.Types.ObjectId,
            addedBy: mongoose.Schema.Types.ObjectId,
            addedAt: Date,
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    contactCount: { type: Number, default: 0 },
    lastInteractionAt: { type: Date, default: null },
    mergedInto: { type: mongoose.Schema.Types.ObjectId, default: null },
    createdBy: { type: mongoose.Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'crm_clients', minimize: false },
);
clientSchema.index({ dupKeys: 1 });
clientSchema.index({ managerId: 1, name: 1 });
clientSchema.index({ groupIds: 1 });
clientSchema.index({ mergedInto: 1, name: 1 });

export const ClientModel = mongoose.model<ClientDoc>('Client', clientSchema);

/** A contact person of a company client. */
export interface ContactDoc {
  _id: Id;
  clientId: Id;
  name: string;
  position: string;
  phones: StoredPhone[];
  emails: StoredEmail[];
  note: string;
  consent: StoredConsents;
  /** Set while the contact's client is merged away (undo moves it back). */
  movedFrom: Id | null;
  createdAt: Date;
  updatedAt: Date;
}

const contactSchema = new mongoose.Schema<ContactDoc>(
  {
    clientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    position: { type: String, default: '' },
    phones: { type: [phoneSchema], default: [] },
    emails: { type: [emailSchema], default: [] },
    note: { type: String, default: '' },
    consent: consentsSchema,
    movedFrom: { type: mongoose.Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'crm_contacts' },
);
contactSchema.index({ clientId: 1, name: 1 });

export const ContactModel = mongoose.model<ContactDoc>('Contact', contactSchema);

/**
 * A likely duplicate pair for review (the nightly sweep), or one dismissed as "not a duplicate"
 * (`dismissedAt` set: never proposed again). `pairKey` is the two ids in order, unique.
 */
export interface DuplicatePairDoc {
  _id: Id;
  pairKey: string;
  aId: Id;
  bId: Id;
  reasons: string[];
  dismissedAt: Date | null;
  dismissedBy: Id | null;
  createdAt: Date;
}

const duplicatePairSchema = new mongoose.Schema<DuplicatePairDoc>(
  {
    pairKey: { type: String, required: true, unique: true },
    aId: { type: mongoose.Schema.Types.ObjectId, required: true },
    bId: { type: mongoose.Schema.Types.ObjectId, required: true },
    reasons: { type: [String], default: [] },
    dismissedAt: { type: Date, default: null },
    dismissedBy: { type: mongoose.Schema.Types.ObjectId, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, collection: 'crm_duplicate_pairs' },
);
duplicatePairSchema.index({ dismissedAt: 1, createdAt: -1 });
duplicatePairSchema.index({ aId: 1 });
duplicatePairSchema.index({ bId: 1 });

export const DuplicatePairModel = mongoose.model<DuplicatePairDoc>('DuplicatePair', duplicatePairSchema);

export const pairKeyOf = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * One merge: the kept client's fields before, and what moved from the merged one (ids per link
 * kind), so that undo within 30 days restores both exactly.
 */
export interface MergeDoc {
  _id: Id;
  keptId: Id;
  mergedId: Id;
  keptName: string;
  mergedName: string;
  keptBefore: Record<string, unknown>;
  moved: Record<string, string[]>;
  byId: Id | null;
  byName: string;
  undoUntil: Date;
  undoneAt: Date | null;
  createdAt: Date;
}

const mergeSchema = new mongoose.Schema<MergeDoc>(
  {
    keptId: { type: mongoose.Schema.Types.ObjectId, required: true },
    mergedId: { type: mongoose.Schema.Types.ObjectId, required: true },
    keptName: String,
    mergedName: String,
    keptBefore: { type: mongoose.Schema.Types.Mixed, default: {} },
    moved: { type: mongoose.Schema.Types.Mixed, default: {} },
    byId: { type: mongoose.Schema.Types.ObjectId, default: null },
    byName: { type: String, default: '' },
    undoUntil: { type: Date, required: true },
    undoneAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, collection: 'crm_merges', minimize: false },
);
mergeSchema.index({ createdAt: -1 });

export const MergeModel = mongoose.model<MergeDoc>('ClientMerge', mergeSchema);
