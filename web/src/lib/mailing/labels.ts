// Translated names for segment audiences, channels and campaign statuses.
import type { Campaign } from '@crewdeck/shared/mailing';
import { m } from '../paraglide/messages.js';

export const AUDIENCE_LABELS = {
  both: m.mail_audience_both,
  clients: m.mail_audience_clients,
  contacts: m.mail_audience_contacts,
} as const;

export const CHANNEL_LABELS = { email: m.mail_channel_email, sms: m.mail_channel_sms } as const;

export const CAMPAIGN_STATUS_LABELS: Record<Campaign['status'], () => string> = {
  sending: m.mail_status_sending,
  done: m.mail_status_done,
  failed: m.mail_status_failed,
};
