import type { FeedEntry } from '@crewdeck/shared/feed';
import type { NewFeedEntry } from './feed.model.ts';

/** Whitelist of public entry fields; `audience` and `viewers` stay on the server. */
export function presentFeedEntry(doc: NewFeedEntry): FeedEntry {
  const base = {
    seq: doc.seq,
    at: doc.at.toISOString(),
    actor: doc.actor ? { id: doc.actor.id, name: doc.actor.name } : null,
    data: doc.data,
  };
  if (doc.projectId === null) {
    return {
      ...base,
      type: doc.type,
      projectId: null,
      resource: { kind: doc.resource.kind, id: doc.resource.id, code: doc.resource.code },
    };
  }
  return {
    ...base,
    type: doc.type,
    projectId: doc.projectId,
    resource: { kind: doc.resource.kind, id: doc.resource.id, code: doc.resource.code },
  };
}
