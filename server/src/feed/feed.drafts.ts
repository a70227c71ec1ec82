import type { LibraryFeedResource, LibraryFeedType, ProjectFeedResource, ProjectFeedType } from '@crewdeck/shared/feed';
import type { NotificationKind } from '@crewdeck/shared/notifications';

// What services say about a change, for the publisher to store and the event bus to carry.
// A module of its own so that the bus and the publisher need not import each other.

/** Who is notified of an entry, and why. */
export interface NotifyDraft {
  kind: NotificationKind;
  userIds: string[];
  task: { id: string; code: string; title: string };
  data?: Record<string, unknown>;
}

/** What a service says about one project change; the publisher adds seq, time and actor. */
export interface ProjectFeedDraft {
  type: ProjectFeedType;
  projectId: string;
  resource: ProjectFeedResource;
  data?: Record<string, unknown>;
  /** Users the change concerns ("My assignments"). */
  audience?: string[];
  notify?: NotifyDraft[];
}

/** What a library service says about one document change. */
export interface LibraryFeedDraft {
  type: LibraryFeedType;
  projectId: null;
  resource: LibraryFeedResource;
  data?: Record<string, unknown>;
  /** Users who may view the document now: the only ones who will ever receive the entry. */
  viewers: string[];
}

export type FeedDraft = ProjectFeedDraft | LibraryFeedDraft;
