import mongoose from 'mongoose';

type Id = mongoose.Types.ObjectId;

export type GoogleConnectionState = 'connecting' | 'syncing' | 'ok' | 'error' | 'needsReconnect';

export interface GoogleChannelDoc {
  id: string;
  resourceId: string;
  /** Secret Google echoes in X-Goog-Channel-Token: a notification without it is ignored. */
  token: string;
  expiration: Date;
}

/**
 * One user's Google connection (their primary calendar). The refresh token is sealed with the
 * secret box; a copied database alone cannot read anyone's calendar.
 */
export interface GoogleConnectionDoc {
  _id: Id;
  userId: Id;
  account: string | null;
  refreshTokenSealed: string | null;
  state: GoogleConnectionState;
  syncToken: string | null;
  /**
   * Bumped at every full sync; links the full listing confirms get the new mark, the others are
   * swept (a full listing never reports deletions).
   */
  fullSyncMark: number;
  /**
   * Bumped by every inbound page transaction: two workers syncing the same user write this same
   * document, so one of them conflicts and retries against the other's committed state.
   */
  syncRev: number;
  channel: GoogleChannelDoc | null;
  lastSyncAt: Date | null;
  lastError: string | null;
  /** First import progress 0–1 while it runs; null otherwise. */
  progress: number | null;
  imported: number;
  /** When "needs reconnect" was notified, so it is notified once per episode. */
  reconnectNotifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const channelSchema = new mongoose.Schema<GoogleChannelDoc>(
  {
    id: { type: String, required: true },
    resourceId: { type: String, required: true },
    token: { type: String, required: true },
    expiration: { type: Date, required: true },
  },
  { _id: false },
);

const connectionSchema = new mongoose.Schema<GoogleConnectionDoc>(
  {
    userId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    account: { type: String, default: null },
    refreshTokenSealed: { type: String, default: null },
    state: { type: String, required: true },
    syncToken: { type: String, default: null },
    fullSyncMark: { type: Number, default: 0 },
    syncRev: { type: Number, default: 0 },
    channel: { type: channelSchema, default: null },
    lastSyncAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    progress: { type: Number, default: null },
    imported: { type: Number, default: 0 },
    reconnectNotifiedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'calendar_google_connections' },
);
connectionSchema.index({ 'channel.id': 1 });

export const GoogleConnectionModel = mongoose.model<GoogleConnectionDoc>('GoogleConnection', connectionSchema);
