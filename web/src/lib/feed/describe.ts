// Feed entries as one readable line and a link, for project, library and calendar entries alike.
// Project wording lives with the project helpers; library and calendar wording here.
import type { FeedEntry, LibraryFeedEntry } from '@crewdeck/shared/feed';
import { describeEntry, type EntryContext } from '../projects/format.ts';
import { KIND_LABELS } from '../interactions/labels.ts';
import { m } from '../paraglide/messages.js';
import { formatNumber } from '../i18n/locale.ts';

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** "DOC-7 “Spec”" (the title as it was when the entry was published). */
function documentLabel(entry: LibraryFeedEntry): string {
  const title = text(entry.data.title);
  return title ? m.feed_doc_label({ code: entry.resource.code, title }) : entry.resource.code;
}

function versionNumber(value: unknown): string {
  return typeof value === 'number' ? formatNumber(value) : text(value);
}

function describeVersion(entry: LibraryFeedEntry, label: string): string {
  const number = versionNumber(entry.data.version);
  if (entry.data.beforeRestore === true) return m.feed_doc_kept({ label, number });
  if (entry.data.kind === 'named') return m.feed_doc_named({ number, name: text(entry.data.name), label });
  return m.feed_doc_auto({ number, label });
}

/** One line for a library entry, without the actor ("shared DOC-7 “Spec”"). */
export function describeLibraryEntry(entry: LibraryFeedEntry): string {
  const label = documentLabel(entry);
  switch (entry.type) {
    case 'document.created':
      return m.feed_doc_created({ label });
    case 'document.shared':
      return m.feed_doc_shared({ label });
    case 'document.versionSaved':
      return describeVersion(entry, label);
    case 'document.restored':
      return m.feed_doc_restored({ number: versionNumber(entry.data.restoredFrom), label });
    case 'document.deleted':
      return m.feed_doc_deleted({ label });
    case 'document.recovered':
      return m.feed_doc_recovered({ label });
    case 'folder.deleted':
      return m.feed_folder_deleted({ name: text(entry.data.title) });
    case 'folder.recovered':
      return m.feed_folder_recovered({ name: text(entry.data.title) });
    default:
      return describeCalendarEntry(entry);
  }
}

/** Calendar events and absences travel as library-style entries (no project). */
function describeCalendarEntry(entry: LibraryFeedEntry): string {
  const title = text(entry.data.title) || entry.resource.code;
  const name = text(entry.data.userName) || text(entry.data.name);
  switch (entry.type) {
    case 'calendar.event.created':
      return m.feed_cal_created({ title });
    case 'calendar.event.updated':
      return m.feed_cal_updated({ title });
    case 'calendar.event.deleted':
      return m.feed_cal_deleted({ title });
    case 'calendar.event.responded':
      return entry.data.response === 'declined'
        ? m.feed_cal_declined({ title })
        : entry.data.response === 'tentative'
          ? m.feed_cal_tentative({ title })
          : m.feed_cal_accepted({ title });
    case 'absence.requested':
      return name ? m.feed_absence_requested_for({ name }) : m.feed_absence_requested();
    case 'absence.decided':
      return entry.data.decision === 'rejected' || entry.data.status === 'rejected'
        ? m.feed_absence_rejected({ name: name || m.feed_someone() })
        : m.feed_absence_approved({ name: name || m.feed_someone() });
    default:
      return describeCrmEntry(entry);
  }
}

/** CRM entries: clients, deals and logged interactions (no project either). */
function describeCrmEntry(entry: LibraryFeedEntry): string {
  const name = text(entry.data.clientName) || text(entry.data.name) || entry.resource.code;
  const title = text(entry.data.title) || entry.resource.code;
  switch (entry.type) {
    case 'client.created':
      return m.feed_client_created({ name });
    case 'client.assigned':
      return m.feed_client_assigned({ name, manager: text(entry.data.managerName) || m.feed_someone() });
    case 'deal.created':
      return m.feed_deal_created({ title });
    case 'deal.updated':
      return m.feed_deal_updated({ title });
    case 'deal.deleted':
      return m.feed_deal_deleted({ title });
    case 'deal.stageChanged':
      return m.feed_deal_stage({ title, stage: text(entry.data.stageLabel) || text(entry.data.stage) });
    case 'deal.won':
      return m.feed_deal_won({ title });
    case 'deal.lost':
      return m.feed_deal_lost({ title });
    case 'interaction.logged': {
      const kind = text(entry.data.kind);
      const label = (KIND_LABELS as Record<string, () => string>)[kind];
      return m.feed_interaction_logged({ name, kind: label ? label() : kind });
    }
    default:
      return m.feed_changed({ subject: title });
  }
}

/** One line for any feed entry, without the actor. */
export function describeFeedEntry(entry: FeedEntry, context: EntryContext): string {
  return entry.projectId === null ? describeLibraryEntry(entry) : describeEntry(entry, context);
}

/** Where an entry leads: the document, the event, the absences, the task, the timeline or the project. */
export function entryHref(entry: FeedEntry): string {
  if (entry.projectId === null && entry.resource.kind === 'event')
    return entry.type === 'calendar.event.deleted'
      ? '/calendar'
      : `/calendar?event=${encodeURIComponent(entry.resource.id)}`;
  if (entry.projectId === null && entry.resource.kind === 'absence') return '/calendar/absences';
  if (entry.projectId === null && entry.resource.kind === 'client') return `/clients/${entry.resource.id}`;
  if (entry.projectId === null && (entry.resource.kind === 'deal' || entry.resource.kind === 'interaction')) {
    const clientId = text(entry.data.clientId);
    return clientId ? `/clients/${clientId}` : '/clients';
  }
  if (entry.projectId === null)
    return entry.resource.kind === 'document' && entry.type !== 'document.deleted'
      ? `/library/${entry.resource.id}`
      : '/library';
  if (entry.resource.kind === 'task' && entry.type !== 'task.deleted')
    return `/projects/${entry.projectId}/tasks/${entry.resource.id}`;
  if (entry.resource.kind === 'milestone') return `/projects/${entry.projectId}/timeline`;
  return `/projects/${entry.projectId}`;
}
