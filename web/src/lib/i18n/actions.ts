// Permission names in the active language; an action added later without a translation reads
// as the shared (English) label.
import { actionLabels, type Action } from '@crewdeck/shared/permissions';
import { m } from '../paraglide/messages.js';

const LABELS: Partial<Record<Action, () => string>> = {
  'user.read': m.action_user_read,
  'user.create': m.action_user_create,
  'user.update': m.action_user_update,
  'user.changeRole': m.action_user_changeRole,
  'user.disable': m.action_user_disable,
  'user.resetPassword': m.action_user_resetPassword,
  'user.viewTime': m.action_user_viewTime,
  'group.read': m.action_group_read,
  'group.create': m.action_group_create,
  'group.update': m.action_group_update,
  'group.delete': m.action_group_delete,
  'permission.read': m.action_permission_read,
  'permission.update': m.action_permission_update,
  'audit.read': m.action_audit_read,
  'audit.export': m.action_audit_export,
  'audit.verify': m.action_audit_verify,
  'report.timeInSystem': m.action_report_timeInSystem,
  'project.read': m.action_project_read,
  'project.create': m.action_project_create,
  'project.update': m.action_project_update,
  'project.manageMembers': m.action_project_manageMembers,
  'project.delete': m.action_project_delete,
  'milestone.manage': m.action_milestone_manage,
  'task.create': m.action_task_create,
  'task.update': m.action_task_update,
  'task.delete': m.action_task_delete,
  'task.comment': m.action_task_comment,
  'comment.update': m.action_comment_update,
  'comment.delete': m.action_comment_delete,
  'task.logTime': m.action_task_logTime,
  'billing.read': m.action_billing_read,
  'workload.read': m.action_workload_read,
  'doc.create': m.action_doc_create,
  'doc.view': m.action_doc_view,
  'doc.comment': m.action_doc_comment,
  'doc.edit': m.action_doc_edit,
  'doc.manage': m.action_doc_manage,
  'folder.create': m.action_folder_create,
  'folder.view': m.action_folder_view,
  'folder.edit': m.action_folder_edit,
  'folder.manage': m.action_folder_manage,
  'calendar.read': m.action_calendar_read,
  'calendar.write': m.action_calendar_write,
  'calendar.manage': m.action_calendar_manage,
  'calendar.freebusy': m.action_calendar_freebusy,
  'calendar.force': m.action_calendar_force,
  'schedule.manage': m.action_schedule_manage,
  'absence.approve': m.action_absence_approve,
};

export function actionLabel(action: Action): string {
  return LABELS[action]?.() ?? actionLabels[action];
}
