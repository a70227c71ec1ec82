import type { FeedEntry } from '@crewdeck/shared/feed';
import type { FeedEntryDoc } from './feed.model.ts';

/** Whitelist of public entry fields; `audience` stays on the server. */
export function presentFeedEntry(doc: Omit<FeedEntryDoc, '_id'>): FeedEntry {
  return {
    seq: doc.seq,
    type: doc.type,
    at: doc.at.toISOString(),
    actor: doc.actor ? { id: doc.actor.id, name: doc.actor.name } : null,
    projectId: doc.projectId,
    resource: { kind: doc.resource.kind, id: doc.resource.id, code: doc.resource.code },
    data: doc.data,
  };
}
