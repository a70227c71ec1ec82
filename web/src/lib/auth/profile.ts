// The own profile: form values ↔ the API's profile, and the choices the form offers.
import { notificationKinds, type NotificationKind } from '@crewdeck/shared/notifications';
import type { Language, Profile, Theme, UpdateProfile } from '@crewdeck/shared/users';
import { limits } from '@crewdeck/shared/limits';
import { m } from '../paraglide/messages.js';
import { tooLong } from '../ui/limits.ts';

export type ProfileFormValues = {
  name: string;
  /** '' = the browser's time zone. */
  timeZone: string;
  /** '' = the browser's language. */
  language: Language | '';
  theme: Theme;
  notifications: Record<NotificationKind, boolean>;
  phone: string;
  email: string;
};

export function profileToForm(profile: Profile): ProfileFormValues {
  const notifications = Object.fromEntries(
    notificationKinds.map((kind) => [kind, profile.notifications[kind] !== false]),
  ) as Record<NotificationKind, boolean>;
  return {
    name: profile.name,
    timeZone: profile.timeZone ?? '',
    language: profile.language ?? '',
    theme: profile.theme,
    notifications,
    phone: profile.phone,
    email: profile.email,
  };
}

/** Only the fields that changed (the server keeps the rest). */
export function toUpdateProfile(profile: Profile, values: ProfileFormValues): UpdateProfile {
  const before = profileToForm(profile);
  const patch: UpdateProfile = {};
  if (values.name.trim() !== before.name) patch.name = values.name.trim();
  if (values.timeZone !== before.timeZone) patch.timeZone = values.timeZone || null;
  if (values.language !== before.language) patch.language = values.language || null;
  if (values.theme !== before.theme) patch.theme = values.theme;
  const changed = notificationKinds.filter((kind) => values.notifications[kind] !== before.notifications[kind]);
  if (changed.length > 0)
    patch.notifications = Object.fromEntries(changed.map((kind) => [kind, values.notifications[kind]]));
  if (values.phone.trim() !== before.phone) patch.phone = values.phone.trim();
  if (values.email.trim() !== before.email) patch.email = values.email.trim();
  return patch;
}

/** Client-side checks that save a round trip; the server validates everything again. */
export function validateProfile(values: ProfileFormValues): Record<string, string> {
  const fields: Record<string, string> = {};
  // A value past its limit is named as such (never cut); the format check comes after.
  const name = values.name.trim() ? tooLong(values.name, limits.nameMax) : m.user_err_name();
  if (name) fields.name = name;
  const phone =
    tooLong(values.phone, limits.phoneMax) ||
    (/^[0-9+()./ -]*$/.test(values.phone.trim()) ? '' : m.adm_profile_err_phone());
  if (phone) fields.phone = phone;
  const email = tooLong(values.email, limits.contactEmailMax);
  if (email) fields.email = email;
  return fields;
}

/** Every IANA time zone the browser knows, with the one in use first when it is missing. */
export function timeZoneChoices(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

/** The browser's own time zone, for the "browser default" choice. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export const NOTIFICATION_LABELS: Record<NotificationKind, () => string> = {
  assigned: () => m.adm_notify_assigned(),
  mentioned: () => m.adm_notify_mentioned(),
  dueSoon: () => m.adm_notify_due_soon(),
  overdue: () => m.adm_notify_overdue(),
  statusChanged: () => m.adm_notify_status(),
  behindSchedule: () => m.adm_notify_behind_schedule(),
  eventInvited: () => m.adm_notify_event_invited(),
  eventChanged: () => m.adm_notify_event_changed(),
  eventCancelled: () => m.adm_notify_event_cancelled(),
  eventReminder: () => m.adm_notify_event_reminder(),
  eventResponded: () => m.adm_notify_event_responded(),
  absenceRequested: () => m.adm_notify_absence_requested(),
  absenceDecided: () => m.adm_notify_absence_decided(),
  googleReconnect: () => m.adm_notify_google_reconnect(),
  clientAssigned: () => m.adm_notify_client_assigned(),
  clientUnassigned: () => m.adm_notify_client_assigned(),
  dealWon: () => m.adm_notify_deal_won(),
  dealLost: () => m.adm_notify_deal_lost(),
  followUpDue: () => m.adm_notify_follow_up(),
};

/** Longest side of the uploaded avatar, in pixels. */
const AVATAR_SIZE = 256;

/** The centre square of `file`, scaled to 256 px, as PNG (the server checks the bytes again). */
export async function cropAvatar(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = Math.min(AVATAR_SIZE, side);
  const context = canvas.getContext('2d');
  if (!context) return file;
  const sx = (bitmap.width - side) / 2;
  const sy = (bitmap.height - side) / 2;
  context.drawImage(bitmap, sx, sy, side, side, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob ?? file), 'image/png'));
}
