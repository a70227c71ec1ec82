// Feed entries as one readable line and a link, for project and library entries alike.
// Project wording lives with the project helpers; library wording here.
import type { FeedEntry, LibraryFeedEntry } from '@crewdeck/shared/feed';
import { describeEntry, type EntryContext } from '../projects/format.ts';

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** "DOC-7 “Spec”" (the title as it was when the entry was published). */
function documentLabel(entry: LibraryFeedEntry): string {
  const title = text(entry.data.title);
  return title ? `${entry.resource.code} “${title}”` : entry.resource.code;
}

function describeVersion(entry: LibraryFeedEntry, label: string): string {
  const number = text(entry.data.version);
  if (entry.data.beforeRestore === true)
    return `kept the unsaved edits of ${label} as version ${number} before restoring`;
  if (entry.data.kind === 'named') return `saved version ${number} “${text(entry.data.name)}” of ${label}`;
  return `saved automatic version ${number} of ${label}`;
}

/** One line for a library entry, without the actor ("shared DOC-7 “Spec”"). */
export function describeLibraryEntry(entry: LibraryFeedEntry): string {
  const label = documentLabel(entry);
  switch (entry.type) {
    case 'document.created':
      return `created ${label}`;
    case 'document.shared':
      return `shared ${label}`;
    case 'document.versionSaved':
      return describeVersion(entry, label);
    case 'document.restored':
      return `restored version ${text(entry.data.restoredFrom)} of ${label}`;
  }
}

/** One line for any feed entry, without the actor. */
export function describeFeedEntry(entry: FeedEntry, context: EntryContext): string {
  return entry.projectId === null ? describeLibraryEntry(entry) : describeEntry(entry, context);
}

/** Where an entry leads: the document, the task, the timeline or the project. */
export function entryHref(entry: FeedEntry): string {
  if (entry.projectId === null)
    return entry.resource.kind === 'document' ? `/library/${entry.resource.id}` : '/library';
  if (entry.resource.kind === 'task' && entry.type !== 'task.deleted')
    return `/projects/${entry.projectId}/tasks/${entry.resource.id}`;
  if (entry.resource.kind === 'milestone') return `/projects/${entry.projectId}/timeline`;
  return `/projects/${entry.projectId}`;
}
