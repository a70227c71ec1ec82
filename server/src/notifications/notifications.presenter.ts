import type { Notification } from '@crewdeck/shared/notifications';
import type { NotificationDoc } from './notifications.model.ts';

/** Whitelist of public notification fields; the recipient and dedupe key stay on the server. */
export function presentNotification(doc: NotificationDoc): Notification {
  return {
    id: String(doc._id),
    kind: doc.kind,
    read: doc.read,
    at: doc.at.toISOString(),
    actor: doc.actor ? { id: doc.actor.id, name: doc.actor.name } : null,
    projectId: doc.projectId,
    task: doc.task ? { id: doc.task.id, code: doc.task.code, title: doc.task.title } : null,
    subject: doc.subject ? { kind: doc.subject.kind, id: doc.subject.id, title: doc.subject.title } : null,
    data: doc.data,
  };
}
