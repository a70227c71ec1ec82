import mongoose from 'mongoose';
import { auditActions, type AuditAction, type AuditOutcome } from '@crewdeck/shared/audit';

export interface AuditPersonDoc {
  id: string;
  login: string;
  code: string;
}

export interface AuditEntryDoc {
  _id: mongoose.Types.ObjectId;
  seq: number;
  at: Date;
  action: AuditAction;
  outcome: AuditOutcome;
  ip: string;
  user: AuditPersonDoc | null;
  affectedUser: AuditPersonDoc | null;
  affectedGroup: { id: string; name: string } | null;
  permission: string | null;
  code: string | null;
  comment: string;
  changes: { field: string; from: unknown; to: unknown }[];
  prevHash: string;
  hash: string;
}

const person = new mongoose.Schema<AuditPersonDoc>({ id: String, login: String, code: String }, { _id: false });

const auditSchema = new mongoose.Schema<AuditEntryDoc>(
  {
    // Unique: two writers computing the same position fail instead of forking the chain.
    seq: { type: Number, required: true, unique: true },
    at: { type: Date, required: true, index: true },
    action: { type: String, enum: auditActions, required: true, index: true },
    outcome: { type: String, enum: ['allowed', 'denied', 'failed'], required: true },
    ip: { type: String, default: '' },
    user: { type: person, default: null },
    affectedUser: { type: person, default: null },
    affectedGroup: { type: new mongoose.Schema({ id: String, name: String }, { _id: false }), default: null },
    permission: { type: String, default: null },
    code: { type: String, default: null, index: true },
    comment: { type: String, default: '' },
    changes: {
      type: [
        new mongoose.Schema(
          { field: String, from: mongoose.Schema.Types.Mixed, to: mongoose.Schema.Types.Mixed },
          { _id: false },
        ),
      ],
      default: [],
    },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, collection: 'audit' },
);
auditSchema.index({ 'user.id': 1, seq: -1 });
auditSchema.index({ 'affectedUser.id': 1, seq: -1 });

export const AuditModel = mongoose.model<AuditEntryDoc>('AuditEntry', auditSchema);

/**
 * The chain head: one document every append rewrites inside its transaction. Two appenders in
 * different processes then collide as a WriteConflict, which the driver retries, instead of
 * both linking to the same predecessor.
 */
const auditHeadSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    appends: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export const AuditHeadModel = mongoose.model('AuditHead', auditHeadSchema, 'audit_head');
