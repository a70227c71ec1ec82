import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { InteractionsRepository } from './interactions.repository.ts';

export interface FollowUpSweepDeps {
  interactions: InteractionsRepository;
  notifications: { raise(input: RaiseInput): Promise<boolean> };
  /** Client id → name, for the notification's title. */
  clientNames(ids: string[]): Promise<ReadonlyMap<string, string>>;
}

/**
 * Raises `followUpDue` to the manager of every follow-up that fell due by `now`. Idempotent and
 * safe on several instances: the follow-up is claimed (`notifiedAt`) before the notification is
 * raised, and the notification's once-key is the interaction, so a reminder goes out once.
 * Returns how many were raised.
 */
export async function sweepFollowUps(deps: FollowUpSweepDeps, now = new Date()): Promise<number> {
  const due = await deps.interactions.dueFollowUps(now);
  const names = await deps.clientNames([...new Set(due.map((d) => String(d.clientId)))]);
  let raised = 0;
  for (const doc of due) {
    if (!doc.followUp || !(await deps.interactions.markNotified(doc._id, now))) continue;
    const clientId = String(doc.clientId);
    const title = names.get(clientId) ?? '';
    const sent = await deps.notifications.raise({
      kind: 'followUpDue',
      userId: String(doc.managerId),
      actor: null,
      projectId: null,
      task: null,
      subject: { kind: 'interaction', id: String(doc._id), title },
      data: {
        clientId,
        clientName: title,
        kind: doc.kind,
        subject: doc.subject,
        note: doc.followUp.note,
        at: doc.followUp.at.toISOString(),
        taskId: doc.followUp.taskId ? String(doc.followUp.taskId) : null,
      },
      onceKey: `${String(doc._id)}:${doc.followUp.at.toISOString()}`,
    });
    if (sent) raised += 1;
  }
  return raised;
}
