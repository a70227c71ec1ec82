// Translated names of the journal's fixed vocabularies, and of the quick results while they keep
// the shipped English labels (an Admin's own labels are shown as typed).
import { defaultCrmSettings, type Labelled } from '@crewdeck/shared/clients';
import type { InteractionDirection, InteractionKind } from '@crewdeck/shared/interactions';
import { getLocale } from '../paraglide/runtime.js';
import { m } from '../paraglide/messages.js';

export const KIND_LABELS: Record<InteractionKind, () => string> = {
  call: m.ix_kind_call,
  meeting: m.ix_kind_meeting,
  email: m.ix_kind_email,
  message: m.ix_kind_message,
  note: m.ix_kind_note,
};

export const KIND_ICONS: Record<InteractionKind, string> = {
  call: '☎',
  meeting: '👥',
  email: '✉',
  message: '💬',
  note: '📝',
};

export const DIRECTION_LABELS: Record<InteractionDirection, () => string> = {
  inbound: m.ix_direction_inbound,
  outbound: m.ix_direction_outbound,
};

const RESULT_LABELS: Partial<Record<string, () => string>> = {
  taken_into_work: m.ix_result_taken_into_work,
  completed: m.ix_result_completed,
  call_back: m.ix_result_call_back,
  no_answer: m.ix_result_no_answer,
  wrong_number: m.ix_result_wrong_number,
};

/** A result's label: translated while it is the shipped default, else as configured. */
export function resultLabel(result: Pick<Labelled, 'key' | 'label'>): string {
  const shipped = defaultCrmSettings.interactionResults.find((r) => r.key === result.key);
  const translate = RESULT_LABELS[result.key];
  return shipped && translate && shipped.label === result.label ? translate() : result.label;
}

/** "12 Mar 2026, 14:05" in the active locale. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(getLocale(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** The value of a `datetime-local` input for an instant, in local time. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value back to an ISO instant ('' stays undefined). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
