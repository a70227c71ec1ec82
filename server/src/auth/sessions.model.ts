import mongoose from 'mongoose';
import { sessionEndReasons, type SessionEndReason } from '@crewdeck/shared/realtime';

/**
 * A server-side session. The cookie holds a random token; only its SHA-256 is stored, so a
 * database leak does not hand out live sessions. Records are kept after they end: login,
 * last activity and end times are what "time in the system" is computed from.
 */
export interface SessionDoc {
  _id: mongoose.Types.ObjectId;
  tokenHash: string;
  userId: mongoose.Types.ObjectId;
  ip: string;
  userAgent: string;
  createdAt: Date;
  lastActivityAt: Date;
  /** Absolute end, whatever the activity. */
  expiresAt: Date;
  endedAt: Date | null;
  endReason: SessionEndReason | null;
}

const sessionSchema = new mongoose.Schema<SessionDoc>(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: mongoose.Schema.Types.ObjectId, required: true, index: true },
    ip: { type: String, default: '' },
    userAgent: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    lastActivityAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    endReason: { type: String, enum: sessionEndReasons, default: null },
  },
  { versionKey: false, collection: 'sessions' },
);
sessionSchema.index({ createdAt: 1 });

export const SessionModel = mongoose.model<SessionDoc>('Session', sessionSchema);
