import mongoose from 'mongoose';
import { limits } from '@crewdeck/shared/limits';

type Id = mongoose.Types.ObjectId;

/** How long a deleted thing stays restorable, in milliseconds. */
export const TRASH_MS = limits.trashDays * 86_400_000;

/** Soft-deletion fields shared by projects, milestones, tasks and comments. */
export interface TrashFields {
  /** Set while in the trash; a TTL index purges the document `trashDays` later. */
  deletedAt?: Date | null;
  deletedBy?: Id | null;
  /** The project or task whose deletion took this along (restored with it, not listed apart). */
  trashedWith?: Id | null;
}

/** Schema paths of `TrashFields`. */
export const trashPaths = {
  deletedAt: { type: Date, default: null },
  deletedBy: { type: mongoose.Schema.Types.ObjectId, default: null },
  trashedWith: { type: mongoose.Schema.Types.ObjectId, default: null },
} as const;

/** Adds the TTL index that purges trashed documents (the store and MongoDB both honour it). */
export function addTrashIndex(schema: mongoose.Schema): void {
  schema.index({ deletedAt: 1 }, { expireAfterSeconds: limits.trashDays * 86_400 });
}

/** Filter: not in the trash (documents from before soft deletion have no `deletedAt`). */
export const live = { deletedAt: null } as const;

/** Filter: in the trash. */
export const trashed = { deletedAt: { $ne: null } } as const;

/** When something deleted at `deletedAt` stops being restorable. */
export function restoreUntil(deletedAt: Date): Date {
  return new Date(deletedAt.getTime() + TRASH_MS);
}

/** Still restorable at `now` (the TTL monitor may not have purged it yet). */
export function restorable(doc: TrashFields, now = new Date()): boolean {
  return doc.deletedAt instanceof Date && restoreUntil(doc.deletedAt).getTime() > now.getTime();
}

/** Update moving a document to the trash; `withId` names the root deletion it was taken along by. */
export function trashSet(by: string, at: Date, withId: string | null = null) {
  return {
    $set: {
      deletedAt: at,
      deletedBy: new mongoose.Types.ObjectId(by),
      trashedWith: withId ? new mongoose.Types.ObjectId(withId) : null,
    },
  };
}

/** Update bringing a document back from the trash. */
export const restoreSet = { $set: { deletedAt: null, deletedBy: null, trashedWith: null } } as const;
